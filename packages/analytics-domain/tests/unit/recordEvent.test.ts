import { factsOf } from '../../src/facts';
import { recordEvent } from '../../src/useCases/recordEvent';
import { fakeDependencies } from '../helpers/fakes';
import {
  eur,
  eventId,
  inventoryUpdated,
  orderCancelled,
  orderConfirmed,
  usd,
} from '../helpers/fixtures';

describe('Function: factsOf', () => {
  it('makes one stock change per product of an InventoryUpdated, at the time it occurred', () => {
    // Prepare
    const event = inventoryUpdated(
      {
        cause: 'RESERVED',
        orderId: 'order-1',
        changes: [
          { productId: 'prod-espresso-beans', delta: -2, stock: 38 },
          { productId: 'prod-milk-frother', delta: -1, stock: 4 },
        ],
      },
      { eventId: eventId(7), occurredAt: '2026-11-27T10:00:00.000Z' },
    );

    // Act
    const facts = factsOf(event);

    // Assess
    expect(facts).toEqual([
      {
        kind: 'STOCK_CHANGE',
        eventId: eventId(7),
        productId: 'prod-espresso-beans',
        stock: 38,
        delta: -2,
        cause: 'RESERVED',
        orderId: 'order-1',
        at: '2026-11-27T10:00:00.000Z',
      },
      {
        kind: 'STOCK_CHANGE',
        eventId: eventId(7),
        productId: 'prod-milk-frother',
        stock: 4,
        delta: -1,
        cause: 'RESERVED',
        orderId: 'order-1',
        at: '2026-11-27T10:00:00.000Z',
      },
    ]);
  });

  it('leaves orderId out of a restock, which belongs to no order', () => {
    const event = inventoryUpdated({
      cause: 'RESTOCKED',
      changes: [{ productId: 'prod-espresso-beans', delta: 10, stock: 48 }],
    });

    const [fact] = factsOf(event);

    expect(fact).not.toHaveProperty('orderId');
  });

  it('keeps the cause and note of a correction, which belongs to no order', () => {
    const event = inventoryUpdated(
      {
        cause: 'CORRECTED',
        note: 'two bags torn',
        changes: [{ productId: 'prod-espresso-beans', delta: -2, stock: 46 }],
      },
      { eventId: eventId(9) },
    );

    const facts = factsOf(event);

    expect(facts).toEqual([
      {
        kind: 'STOCK_CHANGE',
        eventId: eventId(9),
        productId: 'prod-espresso-beans',
        stock: 46,
        delta: -2,
        cause: 'CORRECTED',
        note: 'two bags torn',
        at: '2026-11-27T10:00:00.000Z',
      },
    ]);
  });

  it('adds up the changes of a product listed twice in one event and keeps the last level', () => {
    const event = inventoryUpdated({
      cause: 'RESTOCKED',
      changes: [
        { productId: 'prod-espresso-beans', delta: 5, stock: 45 },
        { productId: 'prod-espresso-beans', delta: 3, stock: 48 },
      ],
    });

    const facts = factsOf(event);

    expect(facts).toEqual([expect.objectContaining({ delta: 8, stock: 48 })]);
  });

  it('stores the time in UTC, so times written with an offset sort with the others', () => {
    // Prepare
    const event = {
      ...inventoryUpdated({
        cause: 'RESTOCKED',
        changes: [{ productId: 'prod-espresso-beans', delta: 1, stock: 1 }],
      }),
      occurredAt: '2026-11-27T12:00:00.000+02:00',
    };

    // Act
    const [fact] = factsOf(event);

    // Assess
    expect(fact?.at).toBe('2026-11-27T10:00:00.000Z');
  });

  it('makes one sale per line of an OrderConfirmed, its revenue quantity × unit price in cents', () => {
    const event = orderConfirmed('order-1', [
      { productId: 'prod-espresso-beans', quantity: 2, unitPrice: eur(1450) },
      { productId: 'prod-milk-frother', quantity: 3, unitPrice: eur(3999) },
    ]);

    const facts = factsOf(event);

    expect(facts).toEqual([
      {
        kind: 'SALE',
        orderId: 'order-1',
        productId: 'prod-espresso-beans',
        quantity: 2,
        revenue: eur(2900),
        at: '2026-11-27T10:00:00.000Z',
      },
      {
        kind: 'SALE',
        orderId: 'order-1',
        productId: 'prod-milk-frother',
        quantity: 3,
        revenue: eur(11997),
        at: '2026-11-27T10:00:00.000Z',
      },
    ]);
  });

  it('merges the lines of a product listed twice, so its key loses neither units nor revenue', () => {
    const event = orderConfirmed('order-1', [
      { productId: 'prod-espresso-beans', quantity: 2, unitPrice: eur(1450) },
      { productId: 'prod-espresso-beans', quantity: 1, unitPrice: eur(1300) },
    ]);

    const facts = factsOf(event);

    expect(facts).toEqual([expect.objectContaining({ quantity: 3, revenue: eur(4200) })]);
  });

  it('refuses lines of one product in two currencies rather than adding them up', () => {
    const event = orderConfirmed('order-1', [
      { productId: 'prod-espresso-beans', quantity: 1, unitPrice: eur(1450) },
      { productId: 'prod-espresso-beans', quantity: 1, unitPrice: usd(1600) },
    ]);

    expect(() => factsOf(event)).toThrow(RangeError);
  });

  it('makes one cancellation of an OrderCancelled, with its reason and total', () => {
    const event = orderCancelled('order-2', 'INVENTORY_UNAVAILABLE');

    const facts = factsOf(event);

    expect(facts).toEqual([
      {
        kind: 'CANCELLATION',
        orderId: 'order-2',
        reason: 'INVENTORY_UNAVAILABLE',
        total: eur(2900),
        at: '2026-11-27T10:00:00.000Z',
      },
    ]);
  });
});

describe('Function: recordEvent', () => {
  it('stores the facts of an event and counts them', async () => {
    // Prepare
    const deps = fakeDependencies();
    const event = orderConfirmed('order-1', [
      { productId: 'prod-espresso-beans', quantity: 2, unitPrice: eur(1450) },
      { productId: 'prod-milk-frother', quantity: 1, unitPrice: eur(3999) },
    ]);

    // Act
    const result = await recordEvent(deps, event);

    // Assess
    expect(result).toEqual({ recorded: 2, alreadyRecorded: 0 });
    expect(await deps.facts.listAll()).toEqual(factsOf(event));
  });

  it('stores nothing new when the same event is delivered again', async () => {
    // Prepare
    const deps = fakeDependencies();
    const event = inventoryUpdated({
      cause: 'RESERVED',
      orderId: 'order-1',
      changes: [{ productId: 'prod-espresso-beans', delta: -2, stock: 38 }],
    });
    await recordEvent(deps, event);

    // Act
    const result = await recordEvent(deps, event);

    // Assess
    expect(result).toEqual({ recorded: 0, alreadyRecorded: 1 });
    expect(await deps.facts.listAll()).toHaveLength(1);
  });

  it('keeps the first sale of an order when its confirmation is published again under a new id', async () => {
    // Prepare
    const deps = fakeDependencies();
    const lines = [{ productId: 'prod-espresso-beans', quantity: 2, unitPrice: eur(1450) }];
    await recordEvent(deps, orderConfirmed('order-1', lines, { eventId: eventId(1) }));

    // Act
    const result = await recordEvent(
      deps,
      orderConfirmed('order-1', lines, {
        eventId: eventId(2),
        occurredAt: '2026-11-27T11:00:00.000Z',
      }),
    );

    // Assess
    expect(result).toEqual({ recorded: 0, alreadyRecorded: 1 });
    expect(await deps.facts.listAll()).toEqual([
      expect.objectContaining({ at: '2026-11-27T10:00:00.000Z' }),
    ]);
  });

  it('lets a store failure through, so the event is retried', async () => {
    const deps = fakeDependencies();
    deps.facts.failWith = new Error('table unavailable');

    await expect(recordEvent(deps, orderCancelled('order-2', 'PAYMENT_FAILED'))).rejects.toThrow(
      'table unavailable',
    );
  });
});
