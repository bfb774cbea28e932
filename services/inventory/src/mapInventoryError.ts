import {
  InsufficientStockError,
  InventoryValidationError,
  ProductAlreadyExistsError,
  ProductNotFoundError,
  ProductVersionMismatchError,
} from '@shop/inventory-domain';
import {
  badRequest,
  conflict,
  type HttpError,
  notFound,
  preconditionFailed,
} from '@shop/lambda-http';
import { etagOf } from './etag';

/** How the catalog API answers domain errors. */
export function mapInventoryError(error: unknown): HttpError | undefined {
  if (error instanceof InventoryValidationError)
    return badRequest('the request has invalid fields', error.issues);
  if (error instanceof ProductNotFoundError)
    return notFound(`product ${error.productId} does not exist`);
  if (error instanceof ProductAlreadyExistsError)
    return conflict(`product ${error.productId} already exists; change it with PATCH instead`);
  if (error instanceof ProductVersionMismatchError) {
    return preconditionFailed(
      `product ${error.productId} changed since you read it: it is at ${etagOf(error.currentVersion)}, ` +
        `you sent ${etagOf(error.expectedVersion)}; read it again and reapply your change`,
    );
  }
  if (error instanceof InsufficientStockError) {
    return conflict(
      `product ${error.productId} has ${error.stock} in stock; removing ${-error.delta} would ` +
        'take it below 0',
    );
  }
  return undefined;
}
