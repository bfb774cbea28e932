import { ProductNotFoundError, ProductVersionMismatchError } from '../errors';
import type { VersionedWriteResult } from '../ports';
import type { StoredProduct } from '../product';

/**
 * The product an administrator's conditional write stored, or the domain error saying why the
 * write was refused.
 *
 * @throws ProductNotFoundError
 * @throws ProductVersionMismatchError
 * @example
 * ```ts
 * return writtenOrThrow(await deps.products.updateDetails(id, 3, details), id, 3);
 * ```
 */
export function writtenOrThrow(
  result: VersionedWriteResult,
  productId: string,
  expectedVersion: number,
): StoredProduct {
  switch (result.outcome) {
    case 'WRITTEN':
      return result.product;
    case 'NOT_FOUND':
      throw new ProductNotFoundError(productId);
    case 'VERSION_MISMATCH':
      throw new ProductVersionMismatchError(productId, expectedVersion, result.version);
  }
}
