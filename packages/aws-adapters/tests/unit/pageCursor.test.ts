import {
  decodePageCursor,
  encodePageCursor,
  InvalidPageCursorError,
} from '../../src/dynamodb/pageCursor';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk'] as const;
const KEY = { pk: 'ORDER#order-1', sk: 'ORDER', gsi1pk: 'CUSTOMER#cust-42' };

const encodeRaw = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function decodeError(cursor: string, keyAttributes: readonly string[] = KEY_ATTRIBUTES) {
  try {
    decodePageCursor(cursor, keyAttributes);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPageCursorError);
    return error as InvalidPageCursorError;
  }
  throw new Error(`expected ${cursor} to be rejected`);
}

describe('Function: encodePageCursor', () => {
  it('returns undefined on the last page (no LastEvaluatedKey)', () => {
    expect(encodePageCursor(undefined)).toBeUndefined();
  });

  it('returns a URL-safe string without padding', () => {
    // Characters whose base64 contains + and / in the standard alphabet.
    const cursor = encodePageCursor({ pk: '>>>???', sk: 'ÿÿÿ', gsi1pk: '~~~' });

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('does not expose the key in clear text', () => {
    expect(encodePageCursor(KEY)).not.toContain('ORDER#');
  });
});

describe('Function: decodePageCursor', () => {
  it('round-trips a key through encodePageCursor', () => {
    const cursor = encodePageCursor(KEY) as string;

    expect(decodePageCursor(cursor, KEY_ATTRIBUTES)).toEqual(KEY);
  });

  it('accepts the key attributes in any order', () => {
    const cursor = encodePageCursor({ sk: 'ORDER', gsi1pk: 'C', pk: 'O' }) as string;

    expect(decodePageCursor(cursor, ['pk', 'gsi1pk', 'sk'])).toEqual({
      pk: 'O',
      sk: 'ORDER',
      gsi1pk: 'C',
    });
  });

  it('round-trips values with non-ASCII characters', () => {
    const key = { pk: 'CUSTOMER#zoë', sk: '2024-05-01T10:00:00.000Z#📦', gsi1pk: 'x' };

    expect(decodePageCursor(encodePageCursor(key) as string, KEY_ATTRIBUTES)).toEqual(key);
  });

  it('rejects a tampered cursor', () => {
    // Prepare
    const cursor = encodePageCursor(KEY) as string;
    const tampered = `x${cursor.slice(1)}`;

    // Act
    const error = decodeError(tampered);

    // Assess
    expect(error.message).toBe('cursor is not one this API issued');
    expect(error.name).toBe('InvalidPageCursorError');
  });

  it('rejects a truncated cursor', () => {
    const cursor = encodePageCursor(KEY) as string;

    decodeError(cursor.slice(0, cursor.length - 4));
  });

  it.each(['!!!', '%%%%', '', '   '])('rejects %j, which is not base64 of JSON', (cursor) => {
    const error = decodeError(cursor);

    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ['a missing key attribute', { pk: 'a', sk: 'b' }],
    ['an extra attribute', { ...KEY, status: 'PENDING' }],
    ['other attribute names', { PK: 'a', SK: 'b', GSI1PK: 'c' }],
    ['no attributes', {}],
  ])('rejects a cursor with %s', (_case, key) => {
    decodeError(encodePageCursor(key) as string);
  });

  it.each([
    ['a number', { ...KEY, sk: 42 }],
    ['a map', { ...KEY, sk: { S: 'ORDER' } }],
    ['null', { ...KEY, sk: null }],
    ['a boolean', { ...KEY, sk: true }],
  ])('rejects a cursor whose value is %s', (_case, key) => {
    decodeError(encodeRaw(JSON.stringify(key)));
  });

  it.each([
    ['null', 'null'],
    ['a string', '"ORDER#order-1"'],
    ['a number', '7'],
    ['an array', '["a","b","c"]'],
  ])('rejects a cursor that decodes to %s', (_case, json) => {
    decodeError(encodeRaw(json));
  });
});
