import { badRequest } from './errors';

/** 1–255 visible ASCII characters: safe to store, log and compare as they are. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's `Idempotency-Key` header, undefined when it has none.
 *
 * @param headers the request's headers, names lower-cased (as {@link HttpRequest} has them).
 * @throws HttpError 400 naming `headers.Idempotency-Key` when the key is not 1–255 visible ASCII
 *   characters, before anything is stored under it.
 * @example
 * ```ts
 * const key = idempotencyKeyOf(headers); // 'first-try', or undefined
 * ```
 */
export function idempotencyKeyOf(
  headers: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined || IDEMPOTENCY_KEY_PATTERN.test(key)) return key;
  throw badRequest('invalid Idempotency-Key header', [
    { path: 'headers.Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
  ]);
}
