import { InventoryValidationError, ProductNotFoundError } from '@shop/inventory-domain';
import { badRequest, type HttpError, notFound } from '@shop/lambda-http';

/** How the catalog API answers domain errors. */
export function mapInventoryError(error: unknown): HttpError | undefined {
  if (error instanceof InventoryValidationError)
    return badRequest('the request has invalid fields', error.issues);
  if (error instanceof ProductNotFoundError)
    return notFound(`product ${error.productId} does not exist`);
  return undefined;
}
