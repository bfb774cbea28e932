import { methodNotAllowedHandler } from '@shop/lambda-http';

/** ANY /uploads: only POST is served. */
export const handler = methodNotAllowedHandler({ '/uploads': ['POST'] });
