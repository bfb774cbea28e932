import { buildEvent, type EventDataInput, OrderCancellationReasonSchema } from '@shop/contracts';
import fc from 'fast-check';
import type { AnalyticsEvent } from '../../src/events';
import type { AnalyticsFact, CancellationFact, SaleFact, StockChangeFact } from '../../src/facts';
import { StockChangeCauseSchema } from '../../src/schemas';

// Small pools of ids, so generated facts and events often meet the same product or order.
const productId = fc.constantFrom('prod-a', 'prod-b', 'prod-c', 'prod-d');
const orderId = fc.constantFrom('order-1', 'order-2', 'order-3', 'order-4', 'order-5');
const currency = fc.constantFrom('EUR', 'USD');
const cause = fc.constantFrom(...StockChangeCauseSchema.options);
const reason = fc.constantFrom(...OrderCancellationReasonSchema.options);
const instant = fc.date({
  min: new Date('2026-01-01T00:00:00.000Z'),
  max: new Date('2026-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});
const money = fc.record({ amount: fc.nat({ max: 1_000_000 }), currency });

export const saleFactArbitrary: fc.Arbitrary<SaleFact> = fc.record({
  kind: fc.constant('SALE' as const),
  orderId,
  productId,
  quantity: fc.integer({ min: 1, max: 1000 }),
  revenue: money,
  at: instant.map((date) => date.toISOString()),
});

export const stockChangeFactArbitrary: fc.Arbitrary<StockChangeFact> = fc.record({
  kind: fc.constant('STOCK_CHANGE' as const),
  eventId: fc.uuid(),
  productId,
  stock: fc.nat({ max: 10_000 }),
  delta: fc.integer({ min: -100, max: 100 }),
  cause,
  note: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
  at: instant.map((date) => date.toISOString()),
});

export const cancellationFactArbitrary: fc.Arbitrary<CancellationFact> = fc.record({
  kind: fc.constant('CANCELLATION' as const),
  orderId,
  reason,
  total: money,
  at: instant.map((date) => date.toISOString()),
});

export const factArbitrary: fc.Arbitrary<AnalyticsFact> = fc.oneof(
  saleFactArbitrary,
  stockChangeFactArbitrary,
  cancellationFactArbitrary,
);

const envelope = { eventId: fc.uuid(), occurredAt: instant };

const inventoryUpdatedArbitrary = fc
  .record({
    ...envelope,
    cause,
    orderId: fc.option(orderId, { nil: undefined }),
    note: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
    changes: fc.array(
      fc.record({ productId, delta: fc.integer({ min: -100, max: 100 }), stock: fc.nat(10_000) }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ eventId, occurredAt, orderId, note, ...data }) =>
    buildEvent(
      'InventoryUpdated',
      {
        ...data,
        ...(orderId === undefined ? {} : { orderId }),
        ...(note === undefined ? {} : { note }),
      },
      { correlationId: 'corr-prop', eventId, occurredAt },
    ),
  );

const linesArbitrary = fc
  .tuple(
    currency,
    fc.array(
      fc.record({
        productId,
        quantity: fc.integer({ min: 1, max: 100 }),
        amount: fc.nat({ max: 100_000 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([currency, lines]) =>
    lines.map(({ productId, quantity, amount }) => ({
      productId,
      quantity,
      unitPrice: { amount, currency },
    })),
  );

type OrderLines = EventDataInput<'OrderConfirmed'>['lines'];

const orderData = (orderId: string, lines: OrderLines) => ({
  orderId,
  customerId: 'cust-prop',
  customerEmail: 'prop@example.com',
  lines,
  total: {
    amount: lines.reduce((sum, line) => sum + line.quantity * line.unitPrice.amount, 0),
    currency: lines[0]?.unitPrice.currency ?? 'EUR',
  },
});

const orderConfirmedArbitrary = fc
  .record({ ...envelope, orderId, lines: linesArbitrary })
  .map(({ eventId, occurredAt, orderId, lines }) =>
    buildEvent('OrderConfirmed', orderData(orderId, lines), {
      correlationId: 'corr-prop',
      eventId,
      occurredAt,
    }),
  );

const orderCancelledArbitrary = fc
  .record({ ...envelope, orderId, lines: linesArbitrary, reason })
  .map(({ eventId, occurredAt, orderId, lines, reason }) =>
    buildEvent(
      'OrderCancelled',
      { ...orderData(orderId, lines), reason, detail: 'Generated.' },
      { correlationId: 'corr-prop', eventId, occurredAt },
    ),
  );

/** Any event analytics accepts, valid by its schema, with ids drawn from small pools. */
export const analyticsEventArbitrary: fc.Arbitrary<AnalyticsEvent> = fc.oneof(
  inventoryUpdatedArbitrary,
  orderConfirmedArbitrary,
  orderCancelledArbitrary,
);
