import { toIssues } from '@shop/contracts';
import {
  InventoryValidationError,
  ProductNotFoundError,
  ProductVersionMismatchError,
} from '../errors';
import type { InventoryDependencies } from '../ports';
import { priceHistoryWith } from '../pricing';
import type { StoredProduct } from '../product';
import { ChangeProductRequestSchema } from '../requests';
import { writtenOrThrow } from './writtenOrThrow';

/**
 * Changes a product's name, description or price on behalf of an administrator who read it at
 * `expectedVersion`.
 *
 * Input: the product id, the version the administrator read, the untrusted body.
 * Output: the product as stored, at the next version.
 * 1. Validate the body: at least one of name, description, price; unknown fields are named.
 * 2. Read the product: 404 when missing, refused when it is no longer at `expectedVersion`.
 * 3. A new price is appended to the price history, so orders placed before it still reserve at
 *    the price they were quoted (see `reserveStock`).
 * 4. Write the details conditionally on the version; a write that lands in between is refused
 *    rather than overwritten. Stock is not touched.
 *
 * @throws InventoryValidationError
 * @throws ProductNotFoundError
 * @throws ProductVersionMismatchError
 * @example
 * ```ts
 * const product = await changeProduct(deps, { productId: 'prod-espresso-beans',
 *   expectedVersion: 3, body: { price: { amount: 1550, currency: 'EUR' } } });
 * ```
 */
export async function changeProduct(
  deps: Pick<InventoryDependencies, 'products' | 'clock'>,
  input: { productId: string; expectedVersion: number; body: unknown },
): Promise<StoredProduct> {
  const parsed = ChangeProductRequestSchema.safeParse(input.body);
  if (!parsed.success) throw new InventoryValidationError(toIssues(parsed.error, { root: 'body' }));
  const change = parsed.data;
  const { productId, expectedVersion } = input;

  const current = await deps.products.get(productId);
  if (!current) throw new ProductNotFoundError(productId);
  if (current.version !== expectedVersion) {
    throw new ProductVersionMismatchError(productId, expectedVersion, current.version);
  }

  const price = change.price ?? current.price;
  const result = await deps.products.updateDetails(productId, expectedVersion, {
    name: change.name ?? current.name,
    description: change.description ?? current.description,
    price,
    priceHistory: priceHistoryWith(current, price, deps.clock.now()),
  });
  return writtenOrThrow(result, productId, expectedVersion);
}
