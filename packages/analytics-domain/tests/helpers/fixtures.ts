import { buildEvent, type EventDataInput, type Money } from '@shop/contracts';
import type { CancellationFact, SaleFact, StockChangeFact } from '../../src/facts';

export const eur = (amount: number): Money => ({ amount, currency: 'EUR' });
export const usd = (amount: number): Money => ({ amount, currency: 'USD' });

/** A valid event id per number: `eventId(1)` is `00000000-0000-4000-8000-000000000001`. */
export const eventId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface EventOptions {
  eventId?: string;
  occurredAt?: string;
}

const envelope = (options: EventOptions) => ({
  correlationId: 'corr-1',
  eventId: options.eventId ?? eventId(1),
  occurredAt: new Date(options.occurredAt ?? '2026-11-27T10:00:00.000Z'),
});

export const inventoryUpdated = (
  data: EventDataInput<'InventoryUpdated'>,
  options: EventOptions = {},
) => buildEvent('InventoryUpdated', data, envelope(options));

const customer = { customerId: 'cust-42', customerEmail: 'ada@example.com' };

/** OrderConfirmed of the given lines, with their total. */
export const orderConfirmed = (
  orderId: string,
  lines: EventDataInput<'OrderConfirmed'>['lines'],
  options: EventOptions = {},
) =>
  buildEvent(
    'OrderConfirmed',
    {
      orderId,
      ...customer,
      lines,
      total: {
        amount: lines.reduce((sum, line) => sum + line.quantity * line.unitPrice.amount, 0),
        currency: lines[0]?.unitPrice.currency ?? 'EUR',
      },
    },
    envelope(options),
  );

export const orderCancelled = (
  orderId: string,
  reason: EventDataInput<'OrderCancelled'>['reason'],
  options: EventOptions = {},
) =>
  buildEvent(
    'OrderCancelled',
    {
      orderId,
      ...customer,
      lines: [{ productId: 'prod-espresso-beans', quantity: 2, unitPrice: eur(1450) }],
      total: eur(2900),
      reason,
      detail: 'The card was declined.',
    },
    envelope(options),
  );

export const saleFact = (overrides: Partial<SaleFact> = {}): SaleFact => ({
  kind: 'SALE',
  orderId: 'order-1',
  productId: 'prod-espresso-beans',
  quantity: 2,
  revenue: eur(2900),
  at: '2026-11-27T10:00:00.000Z',
  ...overrides,
});

export const stockChangeFact = (overrides: Partial<StockChangeFact> = {}): StockChangeFact => ({
  kind: 'STOCK_CHANGE',
  eventId: eventId(1),
  productId: 'prod-espresso-beans',
  stock: 38,
  delta: -2,
  cause: 'RESERVED',
  at: '2026-11-27T10:00:00.000Z',
  ...overrides,
});

export const cancellationFact = (overrides: Partial<CancellationFact> = {}): CancellationFact => ({
  kind: 'CANCELLATION',
  orderId: 'order-2',
  reason: 'PAYMENT_FAILED',
  total: eur(2900),
  at: '2026-11-27T10:00:00.000Z',
  ...overrides,
});
