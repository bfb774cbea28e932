import fc from 'fast-check';
import { type AnalyticsFact, factKey } from '../../src/facts';
import { AnalyticsSummarySchema, STOCK_HISTORY_LENGTH } from '../../src/schemas';
import { summarize } from '../../src/summary';
import { recordEvent } from '../../src/useCases/recordEvent';
import { rollUp } from '../../src/useCases/rollUp';
import {
  analyticsEventArbitrary,
  factArbitrary,
  saleFactArbitrary,
  stockChangeFactArbitrary,
} from '../helpers/arbitraries';
import { fakeDependencies } from '../helpers/fakes';
import {
  cancellationFact,
  eur,
  eventId,
  saleFact,
  stockChangeFact,
  usd,
} from '../helpers/fixtures';

// A hundred generated cases each: under coverage on a busy 2-core CI machine they take several
// times the second or so they take here, past jest's 5 s default.
jest.setTimeout(30_000);

const NOW = new Date('2026-11-27T10:05:00.000Z');

/** Amount per currency of a list of Money, for comparing totals. */
const byCurrency = (amounts: readonly { amount: number; currency: string }[]) => {
  const totals: Record<string, number> = {};
  for (const { amount, currency } of amounts) totals[currency] = (totals[currency] ?? 0) + amount;
  return totals;
};

describe('Function: summarize', () => {
  it('gives zero counts and no products when nothing was recorded', () => {
    const summary = summarize([], NOW);

    expect(summary).toEqual({
      generatedAt: '2026-11-27T10:05:00.000Z',
      products: [],
      orders: {
        confirmed: 0,
        cancelled: 0,
        cancelledByReason: { INVENTORY_UNAVAILABLE: 0, PAYMENT_FAILED: 0 },
      },
      revenue: [],
    });
  });

  it('adds up units and revenue per product and counts each confirmed order once', () => {
    // Prepare
    const facts = [
      saleFact({ orderId: 'order-1', productId: 'prod-a', quantity: 2, revenue: eur(2900) }),
      saleFact({ orderId: 'order-1', productId: 'prod-b', quantity: 1, revenue: eur(3999) }),
      saleFact({ orderId: 'order-2', productId: 'prod-a', quantity: 3, revenue: eur(4350) }),
    ];

    // Act
    const summary = summarize(facts, NOW);

    // Assess
    expect(summary.products).toEqual([
      {
        productId: 'prod-a',
        unitsSold: 5,
        revenue: [eur(7250)],
        unitsRestocked: 0,
        unitsCorrected: 0,
        currentStock: null,
        stockHistory: [],
      },
      {
        productId: 'prod-b',
        unitsSold: 1,
        revenue: [eur(3999)],
        unitsRestocked: 0,
        unitsCorrected: 0,
        currentStock: null,
        stockHistory: [],
      },
    ]);
    expect(summary.orders.confirmed).toBe(2);
    expect(summary.revenue).toEqual([eur(11249)]);
  });

  it('keeps revenue in each currency apart, sorted by currency code', () => {
    const facts = [
      saleFact({ orderId: 'order-1', revenue: usd(1600) }),
      saleFact({ orderId: 'order-2', revenue: eur(1450) }),
    ];

    const summary = summarize(facts, NOW);

    expect(summary.products[0]?.revenue).toEqual([eur(1450), usd(1600)]);
    expect(summary.revenue).toEqual([eur(1450), usd(1600)]);
  });

  it('takes the current stock from the latest change by time, not by arrival', () => {
    // Prepare
    const later = stockChangeFact({
      eventId: eventId(2),
      stock: 36,
      at: '2026-11-27T11:00:00.000Z',
    });
    const earlier = stockChangeFact({
      eventId: eventId(1),
      stock: 38,
      at: '2026-11-27T10:00:00.000Z',
    });

    // Act
    const summary = summarize([later, earlier], NOW);

    // Assess
    expect(summary.products[0]?.currentStock).toBe(36);
    expect(summary.products[0]?.stockHistory.map((point) => point.stock)).toEqual([38, 36]);
  });

  it(`keeps only the last ${STOCK_HISTORY_LENGTH} stock changes of a product, oldest first`, () => {
    // Prepare
    const changes = Array.from({ length: 25 }, (_, i) =>
      stockChangeFact({
        eventId: eventId(i + 1),
        stock: i,
        delta: 1,
        cause: 'RESTOCKED',
        at: new Date(Date.UTC(2026, 10, 27, 10, i)).toISOString(),
      }),
    );

    // Act
    const summary = summarize(changes.reverse(), NOW);

    // Assess
    const history = summary.products[0]?.stockHistory ?? [];
    expect(history).toHaveLength(STOCK_HISTORY_LENGTH);
    expect(history[0]).toEqual({
      at: '2026-11-27T10:05:00.000Z',
      stock: 5,
      delta: 1,
      cause: 'RESTOCKED',
    });
    expect(history.at(-1)?.stock).toBe(24);
    expect(summary.products[0]?.currentStock).toBe(24);
  });

  it('adds up restocked and corrected units per product, apart from reservations', () => {
    // Prepare
    const facts = [
      stockChangeFact({ eventId: eventId(1), cause: 'RESTOCKED', delta: 24, stock: 64 }),
      stockChangeFact({ eventId: eventId(2), cause: 'RESTOCKED', delta: 6, stock: 70 }),
      stockChangeFact({ eventId: eventId(3), cause: 'CORRECTED', delta: -3, stock: 67 }),
      stockChangeFact({ eventId: eventId(4), cause: 'CORRECTED', delta: 1, stock: 68 }),
      stockChangeFact({ eventId: eventId(5), cause: 'RESERVED', delta: -2, stock: 66 }),
      stockChangeFact({ eventId: eventId(6), cause: 'RELEASED', delta: 2, stock: 68 }),
      stockChangeFact({ eventId: eventId(7), productId: 'prod-b', cause: 'RESTOCKED', delta: 5 }),
    ];

    // Act
    const summary = summarize(facts, NOW);

    // Assess
    expect(
      summary.products.map(({ productId, unitsRestocked, unitsCorrected }) => ({
        productId,
        unitsRestocked,
        unitsCorrected,
      })),
    ).toEqual([
      { productId: 'prod-b', unitsRestocked: 5, unitsCorrected: 0 },
      { productId: 'prod-espresso-beans', unitsRestocked: 30, unitsCorrected: -2 },
    ]);
  });

  it('counts restocks older than the history it keeps', () => {
    const restocks = Array.from({ length: STOCK_HISTORY_LENGTH + 5 }, (_, i) =>
      stockChangeFact({
        eventId: eventId(i + 1),
        cause: 'RESTOCKED',
        delta: 2,
        stock: 2 * (i + 1),
        at: new Date(Date.UTC(2026, 10, 27, 9, i)).toISOString(),
      }),
    );

    const [product] = summarize(restocks, NOW).products;

    expect(product?.stockHistory).toHaveLength(STOCK_HISTORY_LENGTH);
    expect(product?.unitsRestocked).toBe(2 * (STOCK_HISTORY_LENGTH + 5));
  });

  it("shows an administrator's note in the stock history", () => {
    const facts = [stockChangeFact({ cause: 'CORRECTED', delta: -2, note: 'two bags torn' })];

    const summary = summarize(facts, NOW);

    expect(summary.products[0]?.stockHistory).toEqual([
      {
        at: '2026-11-27T10:00:00.000Z',
        stock: 38,
        delta: -2,
        cause: 'CORRECTED',
        note: 'two bags torn',
      },
    ]);
  });

  it('counts cancellations by reason, listing every reason', () => {
    const facts = [
      cancellationFact({ orderId: 'order-2', reason: 'PAYMENT_FAILED' }),
      cancellationFact({ orderId: 'order-3', reason: 'PAYMENT_FAILED' }),
    ];

    const summary = summarize(facts, NOW);

    expect(summary.orders).toEqual({
      confirmed: 0,
      cancelled: 2,
      cancelledByReason: { INVENTORY_UNAVAILABLE: 0, PAYMENT_FAILED: 2 },
    });
  });

  it('lists products sold or stocked, sorted by productId', () => {
    const facts = [
      stockChangeFact({ productId: 'prod-c' }),
      saleFact({ productId: 'prod-a' }),
      stockChangeFact({ productId: 'prod-b', eventId: eventId(2) }),
    ];

    const summary = summarize(facts, NOW);

    expect(summary.products.map((product) => product.productId)).toEqual([
      'prod-a',
      'prod-b',
      'prod-c',
    ]);
  });

  it('refuses a revenue total that would no longer be exact', () => {
    const facts = [
      saleFact({ orderId: 'order-1', revenue: eur(Number.MAX_SAFE_INTEGER) }),
      saleFact({ orderId: 'order-2', revenue: eur(1) }),
    ];

    expect(() => summarize(facts, NOW)).toThrow(RangeError);
  });

  it('conserves units and revenue: the products add up to the sales', () => {
    const facts = fc.tuple(
      fc.uniqueArray(saleFactArbitrary, {
        selector: (sale) => factKey(sale),
        maxLength: 40,
      }),
      fc.array(stockChangeFactArbitrary, { maxLength: 20 }),
    );

    fc.assert(
      fc.property(facts, ([sales, stockChanges]) => {
        const summary = summarize([...stockChanges, ...sales], NOW);

        const unitsOfProducts = summary.products.reduce((sum, p) => sum + p.unitsSold, 0);
        const unitsOfSales = sales.reduce((sum, sale) => sum + sale.quantity, 0);
        expect(unitsOfProducts).toBe(unitsOfSales);
        const revenueOfSales = byCurrency(sales.map((sale) => sale.revenue));
        expect(byCurrency(summary.products.flatMap((p) => p.revenue))).toEqual(revenueOfSales);
        expect(byCurrency(summary.revenue)).toEqual(revenueOfSales);
        expect(summary.orders.confirmed).toBe(new Set(sales.map((sale) => sale.orderId)).size);
      }),
    );
  });

  it('gives the same summary when every fact is there twice', () => {
    fc.assert(
      fc.property(fc.array(factArbitrary, { maxLength: 40 }), (facts) => {
        expect(summarize([...facts, ...facts], NOW)).toEqual(summarize(facts, NOW));
      }),
    );
  });

  it('gives the same summary whatever order distinct facts come in', () => {
    const shuffledFacts = fc
      .uniqueArray(factArbitrary, { selector: (fact) => factKey(fact), maxLength: 40 })
      .chain((facts) =>
        fc.tuple(
          fc.constant(facts),
          fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }),
        ),
      );

    fc.assert(
      fc.property(shuffledFacts, ([facts, shuffled]: [AnalyticsFact[], AnalyticsFact[]]) => {
        expect(summarize(shuffled, NOW)).toEqual(summarize(facts, NOW));
      }),
    );
  });

  it('always produces a summary that the API schema accepts', () => {
    fc.assert(
      fc.property(fc.array(factArbitrary, { maxLength: 60 }), (facts) => {
        const result = AnalyticsSummarySchema.safeParse(summarize(facts, NOW));

        expect(result.error).toBeUndefined();
      }),
    );
  });
});

describe('Property: recording events twice', () => {
  it('stores nothing new the second time, so the roll-up gives the same summary', async () => {
    const eventsAndReplay = fc
      .array(analyticsEventArbitrary, { maxLength: 25 })
      .chain((events) =>
        fc.tuple(
          fc.constant(events),
          fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        ),
      );

    await fc.assert(
      fc.asyncProperty(eventsAndReplay, async ([events, replay]) => {
        // Prepare
        const deps = fakeDependencies();
        for (const event of events) await recordEvent(deps, event);
        const { summary: first } = await rollUp(deps, NOW);

        // Act
        const replayed = [];
        for (const event of replay) replayed.push(await recordEvent(deps, event));
        const { summary: second } = await rollUp(deps, NOW);

        // Assess
        expect(replayed.every((result) => result.recorded === 0)).toBe(true);
        expect(second).toEqual(first);
      }),
    );
  });
});
