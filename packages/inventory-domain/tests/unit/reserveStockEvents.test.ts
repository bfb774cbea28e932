import { buildEvent, parseEvent, type ShopEvent } from '@shop/contracts';
import fc from 'fast-check';
import { reserveStock } from '../../src/useCases/reserveStock';
import { releaseReservation } from '../../src/useCases/settleReservation';
import { fakeInventory, type ProductFixture } from '../helpers/fakes';
import { orderSettled } from '../helpers/fixtures';

// A hundred generated cases each: under coverage on a busy 2-core CI machine they take several
// times the second or so they take here, past jest's 5 s default.
jest.setTimeout(30_000);

// Every event inventory builds from an order and its catalog must parse with the catalogue, for
// every order the API accepts: a reservation result that is never published leaves the order
// PENDING, and its payment is never refunded.

/** The event as a consumer reads it off the bus: envelope and payload checked by the catalogue. */
const asConsumerReadsIt = (event: ShopEvent) => parseEvent(JSON.parse(JSON.stringify(event)));

const MAX_LINES_PER_ORDER = 50;
const MAX_QUANTITY_PER_LINE = 1000;

/** How the catalog stands for one line of the order. */
const catalogStateArb = fc.record({
  exists: fc.boolean(),
  samePrice: fc.boolean(),
  stock: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.maxSafeNat()),
});

const lineArb = fc.record({
  productId: fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/)),
  quantity: fc.oneof(
    fc.integer({ min: 1, max: MAX_QUANTITY_PER_LINE }),
    fc.constant(MAX_QUANTITY_PER_LINE),
  ),
  amount: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 1e9 })),
  catalog: catalogStateArb,
});

/** An order of up to 50 lines, right up to the limit, with how the catalog stands for each. */
const orderArb = fc.oneof(
  ...(['small', 'max'] as const).map((size) =>
    fc.uniqueArray(lineArb, {
      minLength: 1,
      maxLength: MAX_LINES_PER_ORDER,
      selector: (line) => line.productId,
      size,
    }),
  ),
);

describe('Property: every inventory event is publishable', () => {
  it('reserving, repeating and releasing any accepted order publishes only events that parse', async () => {
    await fc.assert(
      fc.asyncProperty(orderArb, async (lines) => {
        // Prepare
        const products: ProductFixture[] = lines
          .filter((line) => line.catalog.exists)
          .map((line) => ({
            productId: line.productId,
            name: `Product ${line.productId}`,
            price: { amount: line.amount + (line.catalog.samePrice ? 0 : 1), currency: 'EUR' },
            stock: line.catalog.stock,
          }));
        const deps = fakeInventory(products);
        const priced = lines.map((line) => ({
          productId: line.productId,
          quantity: line.quantity,
          unitPrice: { amount: line.amount, currency: 'EUR' },
        }));
        const created = buildEvent(
          'OrderCreated',
          {
            orderId: 'order-1',
            customerId: 'cust-1',
            customerEmail: 'ada@example.com',
            lines: priced,
            total: {
              amount: priced.reduce((sum, l) => sum + l.quantity * l.unitPrice.amount, 0),
              currency: 'EUR',
            },
            paymentToken: 'tok_sandbox_success',
          },
          { correlationId: 'corr-1', occurredAt: new Date('2026-11-27T10:00:00.000Z') },
        );

        // Act
        await reserveStock(deps, created);
        await reserveStock(deps, created);
        await releaseReservation(deps, orderSettled('OrderCancelled', created));

        // Assess
        expect(deps.events.published.length).toBeGreaterThan(0);
        for (const event of deps.events.published) {
          expect(() => asConsumerReadsIt(event)).not.toThrow();
        }
      }),
      { numRuns: 150 },
    );
  });
});
