import { buildEvent, type ShopEvent } from '@shop/contracts';
import type { Product } from '../../src/product';

export const eur = (amount: number) => ({ amount, currency: 'EUR' });

export const beans: Product = { productId: 'beans', name: 'Beans', price: eur(1450), stock: 10 };
export const pot: Product = { productId: 'pot', name: 'Moka pot', price: eur(3999), stock: 2 };

export function orderCreated(
  orderId: string,
  lines: {
    productId: string;
    quantity: number;
    unitPrice?: { amount: number; currency: string };
  }[],
  /** When the order was placed; defaults to now. */
  placedAt?: string,
): ShopEvent<'OrderCreated'> {
  const priced = lines.map((line) => ({
    productId: line.productId,
    quantity: line.quantity,
    unitPrice: line.unitPrice ?? (line.productId === 'pot' ? eur(3999) : eur(1450)),
  }));
  const total = priced.reduce((sum, line) => sum + line.quantity * line.unitPrice.amount, 0);
  return buildEvent(
    'OrderCreated',
    {
      orderId,
      customerId: 'cust-1',
      customerEmail: 'ada@example.com',
      lines: priced,
      total: eur(total),
      paymentToken: 'tok_sandbox_success',
    },
    { correlationId: `corr-${orderId}`, ...(placedAt ? { occurredAt: new Date(placedAt) } : {}) },
  );
}

export function orderSettled<T extends 'OrderCancelled' | 'OrderConfirmed'>(
  type: T,
  created: ShopEvent<'OrderCreated'>,
): ShopEvent<T> {
  const { paymentToken: _token, ...data } = created.data;
  const payload =
    type === 'OrderCancelled'
      ? { ...data, reason: 'PAYMENT_FAILED' as const, detail: 'declined' }
      : data;
  return buildEvent(type, payload as never, {
    correlationId: created.correlationId,
  }) as ShopEvent<T>;
}
