import type { Money } from '@shop/contracts';
import { newOrder, type Order } from '../../src/order';
import type { PlaceOrderRequest } from '../../src/schemas';

export const eur = (amount: number): Money => ({ amount, currency: 'EUR' });

/** A valid body of `POST /orders` (total 2 × 14.50 + 1 × 39.99 = €68.99). */
export function placeOrderBody(): PlaceOrderRequest {
  return {
    customerId: 'cust-42',
    customerEmail: 'ada@example.com',
    lines: [
      { productId: 'prod-espresso-beans', quantity: 2, unitPrice: eur(1450) },
      { productId: 'prod-milk-frother', quantity: 1, unitPrice: eur(3999) },
    ],
    paymentToken: 'tok_sandbox_success',
  };
}

/** A stored PENDING order; override any field. */
export function pendingOrder(overrides: Partial<Order> = {}): Order {
  const order = newOrder(
    placeOrderBody(),
    { orderId: overrides.orderId ?? 'order-1', correlationId: 'corr-1' },
    new Date(overrides.createdAt ?? '2024-05-01T10:00:00.000Z'),
  );
  return { ...order, ...overrides };
}
