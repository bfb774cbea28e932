import type { Money } from '@shop/contracts';
import { newOrder, type Order } from '../../src/order';
import type { OrderCaller } from '../../src/ports';
import type { PlaceOrderRequest } from '../../src/schemas';

export const eur = (amount: number): Money => ({ amount, currency: 'EUR' });

/** The customer of {@link placeOrderBody} and {@link pendingOrder}, with a verified email. */
export function customerCaller(overrides: Partial<OrderCaller> = {}): OrderCaller {
  return {
    customerId: 'cust-42',
    verifiedEmail: 'ada@example.com',
    isAdmin: false,
    ...overrides,
  };
}

/** A shop administrator (who owns no orders of the fixtures). */
export function adminCaller(overrides: Partial<OrderCaller> = {}): OrderCaller {
  return {
    customerId: 'admin-1',
    verifiedEmail: 'admin@example.com',
    isAdmin: true,
    ...overrides,
  };
}

/** A valid body of `POST /orders` (total 2 × 14.50 + 1 × 39.99 = €68.99); the customer is the caller. */
export function placeOrderBody(): PlaceOrderRequest {
  return {
    lines: [
      { productId: 'prod-espresso-beans', quantity: 2, unitPrice: eur(1450) },
      { productId: 'prod-milk-frother', quantity: 1, unitPrice: eur(3999) },
    ],
    paymentToken: 'tok_sandbox_success',
  };
}

/** A stored PENDING order of `cust-42` (ada@example.com); override any field. */
export function pendingOrder(overrides: Partial<Order> = {}): Order {
  const order = newOrder(
    placeOrderBody(),
    {
      orderId: overrides.orderId ?? 'order-1',
      correlationId: 'corr-1',
      customerId: 'cust-42',
      customerEmail: 'ada@example.com',
    },
    new Date(overrides.createdAt ?? '2024-05-01T10:00:00.000Z'),
  );
  return { ...order, ...overrides };
}
