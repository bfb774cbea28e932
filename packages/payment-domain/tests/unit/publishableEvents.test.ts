import { buildEvent, parseEvent, type ShopEvent } from '@shop/contracts';
import fc from 'fast-check';
import type { ChargeResult } from '../../src/ports';
import { chargeOrder } from '../../src/useCases/chargeOrder';
import { refundOrder } from '../../src/useCases/refundOrder';
import { fakePayment, orderCancelled } from '../helpers/fakes';

// A hundred generated cases each: under coverage on a busy 2-core CI machine they take several
// times the second or so they take here, past jest's 5 s default.
jest.setTimeout(30_000);

// Every event payment builds from what the gateway answered and what it stored must parse with
// the catalogue: a PaymentFailed that cannot be built leaves its order PENDING for ever, and a
// PaymentRefunded that cannot be built hides a refund.

/** The event as a consumer reads it off the bus: envelope and payload checked by the catalogue. */
const asConsumerReadsIt = (event: ShopEvent) => parseEvent(JSON.parse(JSON.stringify(event)));

/** An order the order service can announce: up to the contracts' limits on ids and money. */
const orderCreatedArb = fc
  .record({
    orderId: fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)),
    amount: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.maxSafeNat()),
    currency: fc.constantFrom('EUR', 'USD', 'JPY', 'KWD'),
  })
  .map(({ orderId, amount, currency }) =>
    buildEvent(
      'OrderCreated',
      {
        orderId,
        customerId: 'cust-42',
        customerEmail: 'ada@example.com',
        lines: [{ productId: 'prod-1', quantity: 1, unitPrice: { amount, currency } }],
        total: { amount, currency },
        paymentToken: 'pm_card_visa',
      },
      { correlationId: 'corr-1' },
    ),
  );

/**
 * What a provider may answer: a payment id within the contract's 64 characters, or a decline with
 * a message of any length and any characters (Stripe's messages are free text).
 */
const chargeResultArb: fc.Arbitrary<ChargeResult> = fc.oneof(
  fc.record({
    status: fc.constant('SUCCEEDED' as const),
    paymentId: fc.stringMatching(/^[A-Za-z0-9_]{1,64}$/),
  }),
  fc.record({
    status: fc.constant('DECLINED' as const),
    reason: fc.constantFrom(
      'DECLINED' as const,
      'AMOUNT_LIMIT_EXCEEDED' as const,
      'INVALID_TOKEN' as const,
    ),
    detail: fc.oneof(
      fc.string({ maxLength: 200, unit: 'grapheme' }),
      fc.string({ minLength: 990, maxLength: 5000, unit: 'binary', size: 'max' }),
      fc.string({ minLength: 500, maxLength: 600, unit: 'grapheme' }),
    ),
  }),
);

describe('Property: every payment event is publishable', () => {
  it('charging, then a cancellation in either order, publishes only events that parse', async () => {
    await fc.assert(
      fc.asyncProperty(
        orderCreatedArb,
        chargeResultArb,
        fc.constantFrom('none', 'after', 'before'),
        async (created, answer, cancellation) => {
          // Prepare
          const deps = fakePayment();
          deps.gateway.next = answer;
          if (cancellation === 'before') await refundOrder(deps, orderCancelled(created));

          // Act
          await chargeOrder(deps, created, 1);
          // A redelivery republishes from the stored record.
          await chargeOrder(deps, created, 2);
          if (cancellation === 'after') await refundOrder(deps, orderCancelled(created));

          // Assess
          // A cancellation that came first leaves nothing to charge and nothing to announce.
          if (cancellation !== 'before') expect(deps.events.published.length).toBeGreaterThan(0);
          for (const event of deps.events.published) {
            expect(() => asConsumerReadsIt(event)).not.toThrow();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
