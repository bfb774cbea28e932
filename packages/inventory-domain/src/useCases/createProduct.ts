import { toIssues } from '@shop/contracts';
import { InventoryValidationError, ProductAlreadyExistsError } from '../errors';
import type { InventoryDependencies } from '../ports';
import type { StoredProduct } from '../product';
import { CreateProductRequestSchema } from '../requests';

/**
 * Adds a product to the catalog.
 *
 * Input: the untrusted request body. Output: the stored product, at version 1.
 * 1. Validate the body; every offending or unknown field is named in the error.
 * 2. Store the product unless its id is taken (one conditional write, so two administrators
 *    creating the same id cannot both succeed).
 *
 * Its price has no history yet: it applies to every order, as no order can predate the product.
 *
 * @throws InventoryValidationError
 * @throws ProductAlreadyExistsError
 * @example
 * ```ts
 * const product = await createProduct(deps, { productId: 'prod-filter-papers',
 *   name: 'Filter papers', price: { amount: 450, currency: 'EUR' } });
 * ```
 */
export async function createProduct(
  deps: Pick<InventoryDependencies, 'products'>,
  body: unknown,
): Promise<StoredProduct> {
  const parsed = CreateProductRequestSchema.safeParse(body);
  if (!parsed.success) throw new InventoryValidationError(toIssues(parsed.error, { root: 'body' }));

  const product: StoredProduct = { ...parsed.data, version: 1, priceHistory: [] };
  if (!(await deps.products.create(product))) {
    throw new ProductAlreadyExistsError(product.productId);
  }
  return product;
}
