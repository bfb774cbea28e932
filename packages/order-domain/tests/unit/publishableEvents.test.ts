import { buildEvent, parseEvent, type ShopEvent } from '@shop/contracts';
import fc from 'fast-check';
import { OrderAccessError, OrderValidationError } from '../../src/errors';
import type { Order } from '../../src/order';
import type { OrderCaller } from '../../src/ports';
import type { PlaceOrderRequest } from '../../src/schemas';
import { orderCreatedEvent } from '../../src/useCases/orderCreatedEvent';
import { orderDecisionEvent } from '../../src/useCases/orderDecisionEvent';
import { placeOrder } from '../../src/useCases/placeOrder';
import { recordOutcome } from '../../src/useCases/recordOutcome';
import {
  amountArb,
  callerArb,
  correlationIdArb,
  currencyArb,
  ordinaryCallerArb,
  paymentDetailArb,
  placeOrderBodyArb,
} from '../helpers/arbitraries';
import { fakeDependencies } from '../helpers/fakes';
import { pendingOrder } from '../helpers/fixtures';

// A hundred generated cases each: under coverage on a busy 2-core CI machine they take several
// times the second or so they take here, past jest's 5 s default.
jest.setTimeout(30_000);

// Every event the order service builds from what it stored must parse with the catalogue, for
// every request the API accepts: an event that cannot be built is never published, and an order
// whose event is never published is never refunded, released or confirmed to its customer.

/** Unit prices up to €10,000,000.00: 50 lines of 1000 units stay a safe integer. */
const BOUNDED_UNIT_AMOUNT = 1_000_000_000;

/** The event as a consumer reads it off the bus: envelope and payload checked by the catalogue. */
const asConsumerReadsIt = (event: ShopEvent) => parseEvent(JSON.parse(JSON.stringify(event)));

/** Places an order the API accepts, the way createOrder does. */
async function placed(body: unknown, caller: OrderCaller = ordinaryCaller) {
  const deps = fakeDependencies();
  const { order } = await placeOrder(deps, { body, caller, correlationId: 'corr-1' });
  return { deps, order };
}

const ordinaryCaller: OrderCaller = {
  customerId: 'cust-42',
  verifiedEmail: 'ada@example.com',
  isAdmin: false,
};

type Line = PlaceOrderRequest['lines'][number];

/** What inventory can report about one line: unknown, short of stock, or priced differently. */
const failureOf = (line: Line) =>
  fc.oneof(
    fc.constant({ productId: line.productId, reason: 'UNKNOWN_PRODUCT' as const }),
    fc.record({
      productId: fc.constant(line.productId),
      reason: fc.constant('OUT_OF_STOCK' as const),
      requested: fc.constant(line.quantity),
      available: fc.integer({ min: 0, max: line.quantity - 1 }),
    }),
    fc.record({
      productId: fc.constant(line.productId),
      reason: fc.constant('PRICE_MISMATCH' as const),
      quoted: fc.constant(line.unitPrice),
      current: fc.record({ amount: amountArb(), currency: currencyArb }),
    }),
  );

/** An accepted order body and the failures inventory may report for some of its lines. */
const bodyWithReservationFailuresArb = placeOrderBodyArb({
  maxUnitAmount: BOUNDED_UNIT_AMOUNT,
}).chain((body) =>
  fc.tuple(
    fc.constant(body),
    fc
      .shuffledSubarray(body.lines, { minLength: 1 })
      .chain((lines) => fc.tuple(...lines.map(failureOf))),
  ),
);

const declineReasonArb = fc.constantFrom(
  'DECLINED' as const,
  'AMOUNT_LIMIT_EXCEEDED' as const,
  'INVALID_TOKEN' as const,
);

const reserved = (order: Order) =>
  buildEvent(
    'InventoryReserved',
    {
      orderId: order.orderId,
      lines: order.lines.map(({ productId, quantity }) => ({ productId, quantity })),
    },
    { correlationId: order.correlationId },
  );

describe('Property: every order event the API can lead to is publishable', () => {
  it('placeOrder either refuses the request or stores an order whose OrderCreated parses', async () => {
    await fc.assert(
      fc.asyncProperty(
        placeOrderBodyArb({ hostile: true }),
        callerArb,
        correlationIdArb,
        async (body, caller, correlationId) => {
          // Prepare
          const deps = fakeDependencies();

          // Act
          let stored: Order | undefined;
          try {
            ({ order: stored } = await placeOrder(deps, { body, caller, correlationId }));
          } catch (error) {
            // Assess: a refusal is a 4xx naming why, and nothing was stored or sent.
            expect([OrderValidationError, OrderAccessError]).toContainEqual(
              (error as Error).constructor,
            );
            expect(deps.orders.all()).toEqual([]);
            expect(deps.events.attempts).toEqual([]);
            return;
          }

          // Assess
          expect(deps.events.published).toHaveLength(1);
          expect(() => asConsumerReadsIt(deps.events.published[0] as ShopEvent)).not.toThrow();
          const [order] = deps.orders.all();
          expect(order?.orderId).toBe(stored.orderId);
          // What the sweeper would publish again from the stored order parses as well.
          expect(() => asConsumerReadsIt(orderCreatedEvent(order as Order))).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an inventory failure on any lines cancels with an OrderCancelled that parses', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyWithReservationFailuresArb,
        ordinaryCallerArb,
        async ([body, failures], caller) => {
          // Prepare
          const { deps, order } = await placed(body, caller);
          const failed = buildEvent(
            'InventoryReservationFailed',
            { orderId: order.orderId, failures },
            { correlationId: order.correlationId },
          );

          // Act
          await recordOutcome(deps, failed);

          // Assess
          const cancelled = deps.events.published.find((e) => e.eventType === 'OrderCancelled');
          expect(cancelled).toBeDefined();
          expect(asConsumerReadsIt(cancelled as ShopEvent).data).toMatchObject({
            unavailableItemCount: failures.length,
          });
          const stored = (await deps.orders.get(order.orderId)) as Order;
          expect(stored).toMatchObject({ status: 'CANCELLED', decisionPublished: true });
          // What the sweeper would publish again carries the same count.
          expect(asConsumerReadsIt(orderDecisionEvent(stored) as ShopEvent).data).toMatchObject({
            unavailableItemCount: failures.length,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a payment failure with any detail cancels with an OrderCancelled that parses', async () => {
    await fc.assert(
      fc.asyncProperty(
        placeOrderBodyArb({ maxUnitAmount: BOUNDED_UNIT_AMOUNT }),
        declineReasonArb,
        paymentDetailArb,
        fc.boolean(),
        async (body, reason, detail, reservedFirst) => {
          // Prepare
          const { deps, order } = await placed(body);
          if (reservedFirst) await recordOutcome(deps, reserved(order));
          const failed = buildEvent(
            'PaymentFailed',
            { orderId: order.orderId, reason, detail },
            { correlationId: order.correlationId },
          );

          // Act
          await recordOutcome(deps, failed);

          // Assess
          const cancelled = deps.events.published.find((e) => e.eventType === 'OrderCancelled');
          expect(cancelled).toBeDefined();
          expect(() => asConsumerReadsIt(cancelled as ShopEvent)).not.toThrow();
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a reserved and paid order confirms with an OrderConfirmed that parses', async () => {
    await fc.assert(
      fc.asyncProperty(placeOrderBodyArb({ maxUnitAmount: BOUNDED_UNIT_AMOUNT }), async (body) => {
        // Prepare
        const { deps, order } = await placed(body);

        // Act
        await recordOutcome(deps, reserved(order));
        await recordOutcome(
          deps,
          buildEvent(
            'PaymentProcessed',
            {
              orderId: order.orderId,
              paymentId: 'pay_1',
              amount: order.total,
              customerEmail: order.customerEmail,
            },
            { correlationId: order.correlationId },
          ),
        );

        // Assess
        const [confirmed] = deps.events.published.filter((e) => e.eventType === 'OrderConfirmed');
        expect(() => asConsumerReadsIt(confirmed as ShopEvent)).not.toThrow();
      }),
      { numRuns: 50 },
    );
  });

  it('an order stored with an over-long reason before reasons were bounded still publishes', () => {
    // Prepare: what recordOutcome stored for 50 unknown 64-character products.
    const reason = Array.from(
      { length: 50 },
      (_, i) => `${String(i).padStart(64, 'p')} is not in the catalog`,
    ).join('; ');
    const order = pendingOrder({
      status: 'CANCELLED',
      cancellationCode: 'INVENTORY_UNAVAILABLE',
      cancellationReason: reason,
      published: true,
    });

    // Act
    const event = orderDecisionEvent(order) as ShopEvent<'OrderCancelled'>;

    // Assess
    expect(reason.length).toBeGreaterThan(1000);
    expect(asConsumerReadsIt(event).data).toMatchObject({ reason: 'INVENTORY_UNAVAILABLE' });
    expect(event.data.detail.length).toBeLessThanOrEqual(1000);
  });
});
