import { preconditionFailed, preconditionRequired } from '@shop/lambda-http';

/**
 * The strong ETag of a product version: `"v3"`. Administrators send it back in `If-Match`.
 *
 * @example
 * ```ts
 * json(200, toProduct(product), { ETag: etagOf(product.version) });
 * ```
 */
export function etagOf(version: number): string {
  return `"v${version}"`;
}

const ETAG_PATTERN = /^"v(\d{1,15})"$/;

/**
 * The product version a conditional write expects, from its `If-Match` header.
 *
 * Without one (or with `*`, which would match any version and so protect nothing) the write is
 * refused with 428. A value that is not one of our ETags can never match the stored version, so
 * it is refused with 412, as a stale ETag is: that includes weak ETags (`W/"v3"`), which If-Match
 * never matches (RFC 9110 §13.1.1), and lists of several ETags.
 *
 * @throws HttpError 428 or 412
 * @example
 * ```ts
 * expectedVersion('"v3"'); // 3
 * ```
 */
export function expectedVersion(ifMatch: string | undefined): number {
  const value = ifMatch?.trim();
  if (!value || value === '*') {
    throw preconditionRequired(
      'send If-Match with the ETag of the product you read (GET /products/{id}), e.g. If-Match: "v3"',
    );
  }
  const match = ETAG_PATTERN.exec(value);
  if (!match) {
    throw preconditionFailed(
      `If-Match ${value} matches no version of this product; send its ETag as received, e.g. "v3"`,
    );
  }
  return Number(match[1]);
}
