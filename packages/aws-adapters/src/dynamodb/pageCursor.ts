import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';

type Key = Record<string, NativeAttributeValue>;

/** Thrown for a cursor this API did not issue (tampered, truncated, from another query). */
export class InvalidPageCursorError extends Error {
  constructor(options?: ErrorOptions) {
    super('cursor is not one this API issued', options);
    this.name = 'InvalidPageCursorError';
  }
}

/** DynamoDB's LastEvaluatedKey as an opaque URL-safe cursor. */
export function encodePageCursor(key: Key | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/**
 * Decodes a cursor and checks it has exactly the expected key attributes, each a string, so a
 * crafted cursor cannot steer the query elsewhere.
 */
export function decodePageCursor(cursor: string, keyAttributes: readonly string[]): Key {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidPageCursorError({ cause: error });
  }
  if (
    typeof key !== 'object' ||
    key === null ||
    Object.keys(key).sort().join() !== [...keyAttributes].sort().join() ||
    Object.values(key).some((value) => typeof value !== 'string')
  ) {
    throw new InvalidPageCursorError();
  }
  return key as Key;
}
