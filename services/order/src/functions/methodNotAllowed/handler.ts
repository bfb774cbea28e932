import { methodNotAllowedHandler } from '@shop/lambda-http';

/** ANY /orders, ANY /orders/{id}: methods without a route get 405 and an Allow header. */
export const handler = methodNotAllowedHandler({
  '/orders': ['GET', 'POST'],
  '/orders/{id}': ['GET'],
});
