import { InventoryValidationError, ProductAlreadyExistsError } from '../../src/errors';
import { createProduct } from '../../src/useCases/createProduct';
import { fakeInventory } from '../helpers/fakes';
import { beans, eur } from '../helpers/fixtures';

const newProduct = {
  productId: 'prod-filter-papers',
  name: 'Filter papers, 100 pcs',
  price: eur(450),
};

/** The issues of the InventoryValidationError a call throws. */
async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InventoryValidationError);
  return (error as InventoryValidationError).issues;
}

describe('Function: createProduct', () => {
  it('stores a new product at version 1 with no stock unless some is given', async () => {
    // Prepare
    const deps = fakeInventory([]);

    // Act
    const product = await createProduct(deps, newProduct);

    // Assess
    expect(product).toEqual({ ...newProduct, stock: 0, version: 1, priceHistory: [] });
    expect(await deps.products.get('prod-filter-papers')).toEqual(product);
  });

  it('keeps the stock and description it is given', async () => {
    const deps = fakeInventory([]);

    const product = await createProduct(deps, {
      ...newProduct,
      description: 'Size 4',
      stock: 120,
    });

    expect(product).toMatchObject({ description: 'Size 4', stock: 120 });
    expect(deps.products.stockOf('prod-filter-papers')).toBe(120);
  });

  it('refuses an id that is taken and leaves the product as it was', async () => {
    const deps = fakeInventory([beans]);

    await expect(
      createProduct(deps, { ...newProduct, productId: 'beans', price: eur(1) }),
    ).rejects.toBeInstanceOf(ProductAlreadyExistsError);
    expect((await deps.products.get('beans'))?.price).toEqual(beans.price);
  });

  it('lets only one of two concurrent creations of the same id through', async () => {
    const deps = fakeInventory([]);

    const results = await Promise.allSettled([
      createProduct(deps, newProduct),
      createProduct(deps, { ...newProduct, name: 'Other' }),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it.each([
    ['Prod-Beans', 'uppercase'],
    ['pb', 'too short'],
    ['-beans', 'a leading dash'],
    ['beans-', 'a trailing dash'],
    ['prod beans', 'a space'],
    ['p'.repeat(65), 'too long'],
  ])('refuses the id %s (%s), naming productId', async (productId) => {
    const deps = fakeInventory([]);

    const issues = await issuesOf(createProduct(deps, { ...newProduct, productId }));

    expect(issues.map((i) => i.path)).toEqual(['productId']);
  });

  it('names every invalid and every unknown field, storing nothing', async () => {
    // Prepare
    const deps = fakeInventory([]);

    // Act
    const issues = await issuesOf(
      createProduct(deps, {
        productId: 'prod-filter-papers',
        name: '',
        price: { amount: 4.5, currency: 'eur' },
        stock: -1,
        version: 7,
        imageKey: 'uploads/x.jpg',
      }),
    );

    // Assess
    expect(issues.map((i) => i.path).sort()).toEqual([
      'imageKey',
      'name',
      'price.amount',
      'price.currency',
      'stock',
      'version',
    ]);
    expect(deps.products.products.size).toBe(0);
  });

  it('reports a body that is not an object at "body"', async () => {
    const issues = await issuesOf(createProduct(fakeInventory([]), ['not', 'an', 'object']));

    expect(issues.map((i) => i.path)).toEqual(['body']);
  });
});
