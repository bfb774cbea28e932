import { methodNotAllowedHandler } from '@shop/lambda-http';

/** ANY /products, ANY /products/{id}: the catalog is read-only over HTTP. */
export const handler = methodNotAllowedHandler({
  '/products': ['GET'],
  '/products/{id}': ['GET'],
});
