import { deterministicEventId } from '@shop/contracts';
import {
  InsufficientStockError,
  InventoryValidationError,
  ProductNotFoundError,
  ProductVersionMismatchError,
} from '../../src/errors';
import { adjustStock } from '../../src/useCases/adjustStock';
import { reserveStock } from '../../src/useCases/reserveStock';
import { fakeInventory } from '../helpers/fakes';
import { beans, orderCreated } from '../helpers/fixtures';

const adjust = (
  deps: ReturnType<typeof fakeInventory>,
  body: unknown,
  expectedVersion = 0,
  productId = 'beans',
) => adjustStock(deps, { productId, expectedVersion, body, correlationId: 'corr-admin' });

describe('Function: adjustStock', () => {
  it('adds a restock, bumps the version and publishes InventoryUpdated with the note', async () => {
    // Prepare
    const deps = fakeInventory([{ ...beans, version: 2 }]);

    // Act
    const result = await adjust(deps, { delta: 24, reason: 'RESTOCK', note: 'roaster' }, 2);

    // Assess
    expect(result).toEqual({
      product: expect.objectContaining({ stock: 34, version: 3 }),
      published: true,
    });
    expect(deps.events.published).toEqual([
      expect.objectContaining({
        eventType: 'InventoryUpdated',
        correlationId: 'corr-admin',
        eventId: deterministicEventId('InventoryUpdated', 'beans', 'v3'),
        occurredAt: '2026-11-27T10:00:00.000Z',
        data: {
          cause: 'RESTOCKED',
          note: 'roaster',
          changes: [{ productId: 'beans', delta: 24, stock: 34 }],
        },
      }),
    ]);
  });

  it('removes stock with a correction and publishes it as CORRECTED, without a note if none', async () => {
    const deps = fakeInventory([beans]);

    const { product } = await adjust(deps, { delta: -3, reason: 'CORRECTION' });

    expect(product.stock).toBe(7);
    expect(deps.events.published[0]?.data).toEqual({
      cause: 'CORRECTED',
      changes: [{ productId: 'beans', delta: -3, stock: 7 }],
    });
  });

  it('refuses to take the stock below zero, changing and publishing nothing', async () => {
    // Prepare
    const deps = fakeInventory([beans]);

    // Act
    const attempt = adjust(deps, { delta: -11, reason: 'CORRECTION' });

    // Assess
    await expect(attempt).rejects.toEqual(
      expect.objectContaining({ name: 'InsufficientStockError', stock: 10, delta: -11 }),
    );
    await expect(attempt).rejects.toBeInstanceOf(InsufficientStockError);
    expect(deps.products.stockOf('beans')).toBe(10);
    expect((await deps.products.get('beans'))?.version).toBe(0);
    expect(deps.events.published).toEqual([]);
  });

  it('allows a correction down to exactly zero', async () => {
    const deps = fakeInventory([beans]);

    const { product } = await adjust(deps, { delta: -10, reason: 'CORRECTION' });

    expect(product.stock).toBe(0);
  });

  it('keeps what a reservation took after the administrator read the product', async () => {
    // Prepare: the administrator reads 10 at version 0, then an order takes 4.
    const deps = fakeInventory([beans]);
    await reserveStock(deps, orderCreated('o1', [{ productId: 'beans', quantity: 4 }]));

    // Act
    const { product } = await adjust(deps, { delta: 5, reason: 'RESTOCK' });

    // Assess: 10 - 4 + 5, and the order still holds its 4.
    expect(product.stock).toBe(11);
    expect(product.version).toBe(1);
    expect(deps.products.holdsOf('beans')).toEqual({ o1: 4 });
  });

  it('refuses a stale version, changing and publishing nothing', async () => {
    const deps = fakeInventory([{ ...beans, version: 4 }]);

    await expect(adjust(deps, { delta: 1, reason: 'RESTOCK' }, 3)).rejects.toBeInstanceOf(
      ProductVersionMismatchError,
    );
    expect(deps.products.stockOf('beans')).toBe(10);
    expect(deps.events.published).toEqual([]);
  });

  it('reports a missing product', async () => {
    await expect(
      adjust(fakeInventory([]), { delta: 1, reason: 'RESTOCK' }, 0, 'ghost'),
    ).rejects.toBeInstanceOf(ProductNotFoundError);
  });

  it('answers with the stored adjustment when the bus is down, so it is not applied twice', async () => {
    // Prepare
    const deps = fakeInventory([beans]);
    deps.events.failWith = new Error('SNS unavailable');

    // Act
    const result = await adjust(deps, { delta: 2, reason: 'RESTOCK' });

    // Assess
    expect(result.published).toBe(false);
    expect(result.publishError).toBe(deps.events.failWith);
    expect(result.product.stock).toBe(12);
  });

  it.each([
    [{ delta: 0, reason: 'CORRECTION' }, ['delta']],
    [{ delta: -2, reason: 'RESTOCK' }, ['delta']],
    [{ delta: 1.5, reason: 'RESTOCK' }, ['delta']],
    [{ delta: 1, reason: 'GIFT' }, ['reason']],
    [{ delta: 1, reason: 'RESTOCK', note: 'x'.repeat(201) }, ['note']],
    [{ delta: 1, reason: 'RESTOCK', stock: 5 }, ['stock']],
    [{ reason: 'RESTOCK' }, ['delta']],
  ])('refuses %j, naming %j', async (body, paths) => {
    // Prepare
    const deps = fakeInventory([beans]);

    // Act
    const error = await adjust(deps, body).then(
      () => undefined,
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(InventoryValidationError);
    expect((error as InventoryValidationError).issues.map((i) => i.path)).toEqual(paths);
    expect(deps.products.stockOf('beans')).toBe(10);
  });
});
