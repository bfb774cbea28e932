import fc from 'fast-check';
import { reserveStock } from '../../src/useCases/reserveStock';
import { commitReservation, releaseReservation } from '../../src/useCases/settleReservation';
import { fakeInventory } from '../helpers/fakes';
import { beans, eur, orderCreated, orderSettled, pot } from '../helpers/fixtures';

// A hundred generated cases each: under coverage on a busy 2-core CI machine they take several
// times the second or so they take here, past jest's 5 s default.
jest.setTimeout(30_000);

describe('Function: reserveStock', () => {
  it('holds every line and publishes InventoryReserved and InventoryUpdated with the new levels', async () => {
    // Prepare
    const deps = fakeInventory([beans, pot]);
    const event = orderCreated('o1', [
      { productId: 'beans', quantity: 3 },
      { productId: 'pot', quantity: 2 },
    ]);

    // Act
    const decision = await reserveStock(deps, event);

    // Assess
    expect(decision.status).toBe('RESERVED');
    expect([deps.products.stockOf('beans'), deps.products.stockOf('pot')]).toEqual([7, 0]);
    expect(deps.events.types()).toEqual(['InventoryReserved', 'InventoryUpdated']);
    expect(deps.events.published[1]?.data).toEqual({
      cause: 'RESERVED',
      orderId: 'o1',
      changes: [
        { productId: 'beans', delta: -3, stock: 7 },
        { productId: 'pot', delta: -2, stock: 0 },
      ],
    });
    expect(deps.events.published.every((e) => e.correlationId === 'corr-o1')).toBe(true);
  });

  it('holds nothing when one line is short, giving back the lines it already took', async () => {
    const deps = fakeInventory([beans, pot]);

    const decision = await reserveStock(
      deps,
      orderCreated('o1', [
        { productId: 'beans', quantity: 3 },
        { productId: 'pot', quantity: 5 },
      ]),
    );

    expect(decision).toEqual({
      orderId: 'o1',
      status: 'FAILED',
      failures: [{ productId: 'pot', reason: 'OUT_OF_STOCK', requested: 5, available: 2 }],
    });
    expect([deps.products.stockOf('beans'), deps.products.stockOf('pot')]).toEqual([10, 2]);
    expect(deps.products.holdsOf('beans')).toEqual({});
    expect(deps.events.types()).toEqual(['InventoryReservationFailed']);
  });

  it('names every unknown product and every price the catalog does not match, taking nothing', async () => {
    const deps = fakeInventory([beans, pot]);

    const decision = await reserveStock(
      deps,
      orderCreated('o1', [
        { productId: 'beans', quantity: 1, unitPrice: eur(999) },
        { productId: 'ghost', quantity: 1 },
        { productId: 'pot', quantity: 1 },
      ]),
    );

    expect(decision.status === 'FAILED' && decision.failures).toEqual([
      { productId: 'beans', reason: 'PRICE_MISMATCH', quoted: eur(999), current: eur(1450) },
      { productId: 'ghost', reason: 'UNKNOWN_PRODUCT' },
    ]);
    expect(deps.products.stockOf('pot')).toBe(2);
  });

  it('decides once: a redelivered OrderCreated republishes the same events and takes nothing more', async () => {
    const deps = fakeInventory([beans]);
    const event = orderCreated('o1', [{ productId: 'beans', quantity: 4 }]);

    await reserveStock(deps, event);
    await reserveStock(deps, event);

    expect(deps.products.stockOf('beans')).toBe(6);
    const ids = deps.events.published.map((e) => e.eventId);
    expect(ids.slice(0, 2)).toEqual(ids.slice(2, 4));
  });

  it('recovers from a crash between holding stock and storing the decision without double-taking', async () => {
    const deps = fakeInventory([beans, pot]);
    const event = orderCreated('o1', [
      { productId: 'beans', quantity: 2 },
      { productId: 'pot', quantity: 1 },
    ]);
    // The first attempt held beans, then died.
    await deps.products.hold('beans', 'o1', 2);

    const decision = await reserveStock(deps, event);

    expect(decision.status).toBe('RESERVED');
    expect([deps.products.stockOf('beans'), deps.products.stockOf('pot')]).toEqual([8, 1]);
  });

  it('takes nothing for an order whose cancellation arrived first', async () => {
    const deps = fakeInventory([beans]);
    const created = orderCreated('o1', [{ productId: 'beans', quantity: 2 }]);

    await releaseReservation(deps, orderSettled('OrderCancelled', created));
    await reserveStock(deps, created);

    expect(deps.products.stockOf('beans')).toBe(10);
    expect(deps.events.published).toEqual([]);
  });

  it('never sells more than the stock, whatever the interleaving of concurrent orders', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ beans: fc.integer({ min: 1, max: 4 }), pot: fc.integer({ min: 0, max: 2 }) }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (orders) => {
          const deps = fakeInventory([beans, pot]);
          const events = orders.map((o, i) =>
            orderCreated(
              `o${i}`,
              [
                { productId: 'beans', quantity: o.beans },
                { productId: 'pot', quantity: o.pot },
              ].filter((l) => l.quantity > 0),
            ),
          );

          const decisions = await Promise.all(events.map((e) => reserveStock(deps, e)));

          const reservedQuantity = (productId: string) =>
            decisions
              .filter((d) => d.status === 'RESERVED')
              .flatMap((d) => (d.status === 'RESERVED' ? d.lines : []))
              .filter((l) => l.productId === productId)
              .reduce((sum, l) => sum + l.quantity, 0);
          expect(deps.products.stockOf('beans')).toBeGreaterThanOrEqual(0);
          expect(deps.products.stockOf('beans') + reservedQuantity('beans')).toBe(beans.stock);
          expect(deps.products.stockOf('pot') + reservedQuantity('pot')).toBe(pot.stock);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('confirms exactly as many one-unit orders as there is stock when twenty race for five', async () => {
    const deps = fakeInventory([{ ...beans, stock: 5 }]);
    const events = Array.from({ length: 20 }, (_, i) =>
      orderCreated(`race-${i}`, [{ productId: 'beans', quantity: 1 }]),
    );

    const decisions = await Promise.all(events.map((e) => reserveStock(deps, e)));

    expect(decisions.filter((d) => d.status === 'RESERVED')).toHaveLength(5);
    expect(deps.products.stockOf('beans')).toBe(0);
  });
});

describe('Function: releaseReservation', () => {
  it('gives the stock of a cancelled order back once and publishes InventoryUpdated', async () => {
    const deps = fakeInventory([beans]);
    const created = orderCreated('o1', [{ productId: 'beans', quantity: 4 }]);
    await reserveStock(deps, created);
    const cancelled = orderSettled('OrderCancelled', created);

    await releaseReservation(deps, cancelled);
    await releaseReservation(deps, cancelled);

    expect(deps.products.stockOf('beans')).toBe(10);
    const releases = deps.events.published
      .filter((e) => e.eventType === 'InventoryUpdated')
      .slice(1);
    expect(releases.map((e) => e.data)).toEqual([
      { cause: 'RELEASED', orderId: 'o1', changes: [{ productId: 'beans', delta: 4, stock: 10 }] },
      { cause: 'RELEASED', orderId: 'o1', changes: [{ productId: 'beans', delta: 4, stock: 10 }] },
    ]);
    expect(releases[0]?.eventId).toBe(releases[1]?.eventId);
  });

  it('publishes nothing for an order whose reservation failed', async () => {
    const deps = fakeInventory([pot]);
    const created = orderCreated('o1', [{ productId: 'pot', quantity: 9 }]);
    await reserveStock(deps, created);

    await releaseReservation(deps, orderSettled('OrderCancelled', created));

    expect(deps.events.types()).toEqual(['InventoryReservationFailed']);
    expect(deps.products.stockOf('pot')).toBe(2);
  });
});

describe('Function: commitReservation', () => {
  it('keeps the stock taken and forgets the holds, so a later cancellation cannot give it back', async () => {
    const deps = fakeInventory([beans]);
    const created = orderCreated('o1', [{ productId: 'beans', quantity: 4 }]);
    await reserveStock(deps, created);

    await commitReservation(deps, orderSettled('OrderConfirmed', created));
    await releaseReservation(deps, orderSettled('OrderCancelled', created));

    expect(deps.products.stockOf('beans')).toBe(6);
    expect(deps.products.holdsOf('beans')).toEqual({});
  });
});

describe('Function: reserveStock, across a price change', () => {
  /** Beans at 1450 until noon, 1550 from then on, as changeProduct records it. */
  const repricedBeans = {
    ...beans,
    price: eur(1550),
    version: 1,
    priceHistory: [
      { price: eur(1450), effectiveFrom: '1970-01-01T00:00:00.000Z' },
      { price: eur(1550), effectiveFrom: '2026-11-27T12:00:00.000Z' },
    ],
  };

  const order = (placedAt: string, amount: number) =>
    orderCreated('o1', [{ productId: 'beans', quantity: 1, unitPrice: eur(amount) }], placedAt);

  it('reserves an order placed before the change at the old price', async () => {
    const deps = fakeInventory([repricedBeans]);

    const decision = await reserveStock(deps, order('2026-11-27T11:59:59.999Z', 1450));

    expect(decision.status).toBe('RESERVED');
    expect(deps.products.stockOf('beans')).toBe(9);
  });

  it('refuses the old price for an order placed after the change', async () => {
    const deps = fakeInventory([repricedBeans]);

    const decision = await reserveStock(deps, order('2026-11-27T12:00:00.000Z', 1450));

    expect(decision).toEqual({
      orderId: 'o1',
      status: 'FAILED',
      failures: [
        { productId: 'beans', reason: 'PRICE_MISMATCH', quoted: eur(1450), current: eur(1550) },
      ],
    });
    expect(deps.products.stockOf('beans')).toBe(10);
  });

  it('reserves an order placed after the change at the new price', async () => {
    const deps = fakeInventory([repricedBeans]);

    const decision = await reserveStock(deps, order('2026-11-27T12:00:00.001Z', 1550));

    expect(decision.status).toBe('RESERVED');
  });

  it('refuses the new price for an order placed before it took effect', async () => {
    const deps = fakeInventory([repricedBeans]);

    const decision = await reserveStock(deps, order('2026-11-27T11:00:00.000Z', 1550));

    expect(decision.status).toBe('FAILED');
  });

  it('refuses an order older than the prices the product still remembers', async () => {
    // Prepare: the history was trimmed; nothing says what applied before 09:00.
    const deps = fakeInventory([
      {
        ...beans,
        priceHistory: [{ price: eur(1450), effectiveFrom: '2026-11-27T09:00:00.000Z' }],
      },
    ]);

    // Act
    const decision = await reserveStock(deps, order('2026-11-27T08:00:00.000Z', 1450));

    // Assess
    expect(decision.status).toBe('FAILED');
  });

  it('reserves an order of a product whose price never changed, whenever it was placed', async () => {
    const deps = fakeInventory([beans]);

    const decision = await reserveStock(deps, order('2020-01-01T00:00:00.000Z', 1450));

    expect(decision.status).toBe('RESERVED');
  });
});
