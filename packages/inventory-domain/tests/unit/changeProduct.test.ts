import {
  InventoryValidationError,
  ProductNotFoundError,
  ProductVersionMismatchError,
} from '../../src/errors';
import { PRICE_HISTORY_LENGTH } from '../../src/product';
import { changeProduct } from '../../src/useCases/changeProduct';
import { reserveStock } from '../../src/useCases/reserveStock';
import { fakeInventory } from '../helpers/fakes';
import { beans, eur, orderCreated } from '../helpers/fixtures';

describe('Function: changeProduct', () => {
  it('changes the name and bumps the version, leaving price, history and stock alone', async () => {
    // Prepare
    const deps = fakeInventory([{ ...beans, version: 3 }]);

    // Act
    const product = await changeProduct(deps, {
      productId: 'beans',
      expectedVersion: 3,
      body: { name: 'Espresso beans' },
    });

    // Assess
    expect(product).toEqual({
      ...beans,
      name: 'Espresso beans',
      version: 4,
      priceHistory: [],
    });
    expect(await deps.products.get('beans')).toEqual(product);
  });

  it('treats a product stored before versioning as version 0', async () => {
    const deps = fakeInventory([beans]);

    const product = await changeProduct(deps, {
      productId: 'beans',
      expectedVersion: 0,
      body: { description: 'Dark roast' },
    });

    expect(product).toMatchObject({ description: 'Dark roast', version: 1 });
  });

  it('refuses a stale version and writes nothing', async () => {
    // Prepare
    const deps = fakeInventory([{ ...beans, version: 5 }]);

    // Act
    const attempt = changeProduct(deps, {
      productId: 'beans',
      expectedVersion: 4,
      body: { name: 'Lost update' },
    });

    // Assess
    await expect(attempt).rejects.toEqual(
      expect.objectContaining({
        name: 'ProductVersionMismatchError',
        expectedVersion: 4,
        currentVersion: 5,
      }),
    );
    expect((await deps.products.get('beans'))?.name).toBe(beans.name);
  });

  it('lets only the first of two administrators who read the same version write', async () => {
    const deps = fakeInventory([{ ...beans, version: 2 }]);

    const results = await Promise.allSettled([
      changeProduct(deps, { productId: 'beans', expectedVersion: 2, body: { name: 'A' } }),
      changeProduct(deps, { productId: 'beans', expectedVersion: 2, body: { name: 'B' } }),
    ]);

    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(
      ProductVersionMismatchError,
    );
    expect((await deps.products.get('beans'))?.version).toBe(3);
  });

  it('reports a missing product', async () => {
    await expect(
      changeProduct(fakeInventory([]), {
        productId: 'ghost',
        expectedVersion: 0,
        body: { name: 'x' },
      }),
    ).rejects.toBeInstanceOf(ProductNotFoundError);
  });

  it('does not undo stock that a reservation took after the administrator read the product', async () => {
    // Prepare
    const deps = fakeInventory([{ ...beans, version: 1 }]);
    await reserveStock(deps, orderCreated('o1', [{ productId: 'beans', quantity: 4 }]));

    // Act
    const product = await changeProduct(deps, {
      productId: 'beans',
      expectedVersion: 1,
      body: { name: 'Espresso beans' },
    });

    // Assess
    expect(product.stock).toBe(6);
    expect(deps.products.holdsOf('beans')).toEqual({ o1: 4 });
  });

  it('records a new price with the instant it takes effect, keeping the old one', async () => {
    // Prepare
    const deps = fakeInventory([beans]);
    deps.clock.set('2026-11-27T12:00:00.000Z');

    // Act
    const product = await changeProduct(deps, {
      productId: 'beans',
      expectedVersion: 0,
      body: { price: eur(1550) },
    });

    // Assess
    expect(product.price).toEqual(eur(1550));
    expect(product.priceHistory).toEqual([
      { price: eur(1450), effectiveFrom: '1970-01-01T00:00:00.000Z' },
      { price: eur(1550), effectiveFrom: '2026-11-27T12:00:00.000Z' },
    ]);
  });

  it('adds no history entry when the price sent is the current one', async () => {
    const deps = fakeInventory([beans]);

    const product = await changeProduct(deps, {
      productId: 'beans',
      expectedVersion: 0,
      body: { price: eur(1450), name: 'Beans' },
    });

    expect(product.priceHistory).toEqual([]);
  });

  it(`keeps only the last ${PRICE_HISTORY_LENGTH} prices`, async () => {
    // Prepare
    const deps = fakeInventory([beans]);

    // Act
    for (let i = 1; i <= 12; i += 1) {
      deps.clock.set(`2026-11-27T10:${String(i).padStart(2, '0')}:00.000Z`);
      await changeProduct(deps, {
        productId: 'beans',
        expectedVersion: i - 1,
        body: { price: eur(1450 + i) },
      });
    }

    // Assess
    const history = (await deps.products.get('beans'))?.priceHistory ?? [];
    expect(history).toHaveLength(PRICE_HISTORY_LENGTH);
    expect(history[0]).toEqual({ price: eur(1453), effectiveFrom: '2026-11-27T10:03:00.000Z' });
    expect(history.at(-1)).toEqual({ price: eur(1462), effectiveFrom: '2026-11-27T10:12:00.000Z' });
  });

  it.each([
    [{}, ['body']],
    [{ stock: 99 }, ['stock', 'body']],
    [{ name: 'ok', productId: 'other', version: 2 }, ['productId', 'version']],
    [{ name: '', price: { amount: -1, currency: 'EUR' } }, ['name', 'price.amount']],
  ])('refuses %j, naming %j, and writes nothing', async (body, paths) => {
    // Prepare
    const deps = fakeInventory([{ ...beans, version: 1 }]);

    // Act
    const error = await changeProduct(deps, { productId: 'beans', expectedVersion: 1, body }).then(
      () => undefined,
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(InventoryValidationError);
    expect((error as InventoryValidationError).issues.map((i) => i.path)).toEqual(paths);
    expect((await deps.products.get('beans'))?.version).toBe(1);
  });
});
