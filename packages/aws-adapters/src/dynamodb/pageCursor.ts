import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { createSecretsReader, type SecretsReader } from '../secrets/createSecretsReader';

type Key = Record<string, NativeAttributeValue>;

/**
 * Thrown for a cursor this API did not issue for this listing and caller: tampered, truncated,
 * signed with another key, issued to another caller or for another listing, or not a cursor.
 */
export class InvalidPageCursorError extends Error {
  constructor(options?: ErrorOptions) {
    super('cursor is not one this API issued', options);
    this.name = 'InvalidPageCursorError';
  }
}

/**
 * The secret key of the cursors' HMAC: the key itself, or a function that returns it (e.g. read
 * from Secrets Manager through a cache). At least {@link MIN_PAGE_CURSOR_KEY_LENGTH} characters.
 * A shared secret, not a signing key pair: whoever holds it can both check and issue cursors.
 */
export type PageCursorKey = string | (() => Promise<string>);

/**
 * The shortest key accepted. The bits a key holds depend on its alphabet: 32 random bytes are the
 * 256 bits of the HMAC-SHA256 output, 32 random base64 characters only 192 (43 reach 256).
 */
export const MIN_PAGE_CURSOR_KEY_LENGTH = 32;

export interface PageCursorCodecOptions {
  key: PageCursorKey;
  /**
   * Names the listing (`orders.byCustomer`); signed into every cursor, so a cursor of one listing
   * is refused by another even under the same key.
   */
  listing: string;
  /** Exactly the attributes of this listing's LastEvaluatedKey; each must be a string. */
  keyAttributes: readonly string[];
}

/**
 * Turns DynamoDB's LastEvaluatedKey into a cursor a client cannot alter, and back. Not secret: the
 * key is readable inside the cursor; only its HMAC is.
 */
export interface PageCursorCodec {
  /**
   * The cursor of the next page, bound to `boundTo` by its HMAC (e.g. the customer whose orders
   * are listed; leave it out for a listing everyone sees the same); undefined on the last page.
   */
  encode(lastEvaluatedKey: Key | undefined, boundTo?: string): Promise<string | undefined>;
  /**
   * The key a cursor was issued with, if this codec issued it for `boundTo`.
   * @throws InvalidPageCursorError for any other string.
   */
  decode(cursor: string, boundTo?: string): Promise<Key>;
}

/** Versions the text the HMAC covers, so a future format cannot be confused with this one. */
const FORMAT = 'shop-page-cursor/v1';
/** `<base64url JSON of the key>.<base64url HMAC-SHA256>`; 32 bytes are 43 characters unpadded. */
const CURSOR_PATTERN = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/**
 * Tamper-evident page cursors: DynamoDB's LastEvaluatedKey as URL-safe base64 JSON, followed by an
 * HMAC-SHA256 over the format, the listing, the caller it is bound to and that payload. A client
 * can read a cursor but not forge, alter or reuse one for another caller or listing: without the
 * key it cannot compute the HMAC, and a cursor issued for one caller does not verify for another.
 * HMACs are compared in constant time. This is a MAC, not a signature: anything holding the key
 * can issue cursors. Cursors do not expire; one stays valid until the key changes.
 *
 * @example
 * ```ts
 * const cursors = createPageCursorCodec({
 *   key: pageCursorKeyFromEnv(),
 *   listing: 'orders.byCustomer',
 *   keyAttributes: ['orderId', 'customerId', 'createdAt'],
 * });
 * const nextCursor = await cursors.encode(LastEvaluatedKey, customerId);
 * const ExclusiveStartKey = await cursors.decode(query.cursor, customerId); // or throws
 * ```
 */
export function createPageCursorCodec(options: PageCursorCodecOptions): PageCursorCodec {
  const expectedAttributes = [...options.keyAttributes].sort().join();

  const signingKey = async () => {
    const key = typeof options.key === 'string' ? options.key : await options.key();
    if (key.length < MIN_PAGE_CURSOR_KEY_LENGTH) {
      throw new Error(
        `the page cursor key must be at least ${MIN_PAGE_CURSOR_KEY_LENGTH} characters long`,
      );
    }
    return key;
  };

  const sign = (key: string, payload: string, boundTo: string) =>
    createHmac('sha256', key)
      // JSON keeps the fields apart whatever characters they hold.
      .update(JSON.stringify([FORMAT, options.listing, boundTo, payload]))
      .digest('base64url');

  return {
    async encode(lastEvaluatedKey, boundTo = '') {
      if (!lastEvaluatedKey) return undefined;
      const payload = Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
      return `${payload}.${sign(await signingKey(), payload, boundTo)}`;
    },

    async decode(cursor, boundTo = '') {
      const match = CURSOR_PATTERN.exec(cursor);
      if (!match) throw new InvalidPageCursorError();
      const [, payload = '', signature = ''] = match;
      const expected = sign(await signingKey(), payload, boundTo);
      // Both are 43 ASCII characters here, as timingSafeEqual requires equal lengths.
      if (!timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
        throw new InvalidPageCursorError();
      }
      let key: unknown;
      try {
        key = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch (error) {
        throw new InvalidPageCursorError({ cause: error });
      }
      // Issued by us, so well-formed unless the listing's key attributes changed since: check
      // anyway, so a cursor can only ever steer the query to a key of this listing.
      if (
        typeof key !== 'object' ||
        key === null ||
        Array.isArray(key) ||
        Object.keys(key).sort().join() !== expectedAttributes ||
        Object.values(key).some((value) => typeof value !== 'string')
      ) {
        throw new InvalidPageCursorError();
      }
      return key as Key;
    },
  };
}

/**
 * The cursor key a function's serverless.yml gives it, read on first use (functions that never
 * page need none): `PAGE_CURSOR_KEY` holds the key itself (local and dev stages, a fixed value in
 * the file), else `PAGE_CURSOR_SECRET_ID` names the Secrets Manager secret holding it (every
 * deployed stage), read through a 5-minute cache.
 *
 * @param secrets what tests substitute for Secrets Manager.
 * @example
 * ```ts
 * new DynamoDbOrderRepository(documentClient, table, { cursorKey: pageCursorKeyFromEnv() });
 * ```
 */
export function pageCursorKeyFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  secrets?: SecretsReader,
): () => Promise<string> {
  let reader = secrets;
  return async () => {
    const inline = env.PAGE_CURSOR_KEY;
    if (inline) return inline;
    const secretId = env.PAGE_CURSOR_SECRET_ID;
    if (!secretId) {
      throw new Error(
        "neither PAGE_CURSOR_KEY nor PAGE_CURSOR_SECRET_ID is set; they come from the service's serverless.yml",
      );
    }
    reader ??= createSecretsReader({ maxAgeSeconds: 300 });
    return reader.getString(secretId);
  };
}
