import { methodNotAllowedHandler } from '@shop/lambda-http';

/** ANY /analytics/summary: methods without a route get 405 and an Allow header. */
export const handler = methodNotAllowedHandler({ '/analytics/summary': ['GET'] });
