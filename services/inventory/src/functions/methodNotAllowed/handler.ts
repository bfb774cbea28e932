import { methodNotAllowedHandler } from '@shop/lambda-http';

/** ANY /products, ANY /products/{id}, ANY /products/{id}/stock-adjustments: 405 with Allow. */
export const handler = methodNotAllowedHandler({
  '/products': ['GET', 'POST'],
  '/products/{id}': ['GET', 'PATCH'],
  '/products/{id}/stock-adjustments': ['POST'],
});
