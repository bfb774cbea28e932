/** A field the client got wrong: dotted path and what is wrong. */
export interface HttpIssue {
  path: string;
  message: string;
}

/**
 * An error that is the client's to fix, answered as an RFC 9457 problem document with its status.
 * Domain errors are mapped to these at the edge (see `mapError` of {@link httpHandler}); anything
 * else becomes a 500 that reveals nothing.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly title: string,
    detail: string,
    readonly issues?: HttpIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = 'HttpError';
  }
}

export const badRequest = (detail: string, issues?: HttpIssue[]) =>
  new HttpError(400, 'Bad Request', detail, issues);
/** No valid token: the client should sign in (RFC 6750 asks for the `WWW-Authenticate` header). */
export const unauthorized = (
  detail = 'sign in and send the token as "Authorization: Bearer <token>"',
) => new HttpError(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });
/** A valid token that may not do this. */
export const forbidden = (detail: string) => new HttpError(403, 'Forbidden', detail);
export const notFound = (detail: string) => new HttpError(404, 'Not Found', detail);
export const conflict = (detail: string) => new HttpError(409, 'Conflict', detail);
/** A conditional write whose `If-Match` no longer matches what is stored. */
export const preconditionFailed = (detail: string) =>
  new HttpError(412, 'Precondition Failed', detail);
/** A write that must be conditional (optimistic concurrency) came without `If-Match`. */
export const preconditionRequired = (detail: string) =>
  new HttpError(428, 'Precondition Required', detail);
export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new HttpError(
    405,
    'Method Not Allowed',
    `${method} is not supported here; use ${allowed.join(', ')}`,
    undefined,
    {
      Allow: allowed.join(', '),
    },
  );
export const unsupportedMediaType = (contentType: string | undefined) =>
  new HttpError(
    415,
    'Unsupported Media Type',
    `send application/json${contentType ? `, not ${contentType}` : ' with a Content-Type header'}`,
  );
export const payloadTooLarge = (limitBytes: number) =>
  new HttpError(413, 'Content Too Large', `the body must be at most ${limitBytes} bytes`);
