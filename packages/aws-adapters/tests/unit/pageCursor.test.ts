import 'aws-sdk-client-mock-jest';
import crypto from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createPageCursorCodec,
  InvalidPageCursorError,
  type PageCursorCodecOptions,
  pageCursorKeyFromEnv,
} from '../../src/dynamodb/pageCursor';
import type { SecretsReader } from '../../src/secrets/createSecretsReader';

const KEY = 'test-page-cursor-key-0123456789abcdef';
const OTHER_KEY = 'another-page-cursor-key-0123456789abc';
const KEY_ATTRIBUTES = ['orderId', 'customerId', 'createdAt'] as const;
const LAST_KEY = {
  orderId: '5f0c6a8e-3b2d-4c55-9f59-2a8f4f1f2b11',
  customerId: 'cust-42',
  createdAt: '2026-11-27T10:00:00.000Z',
};

const codec = (overrides: Partial<PageCursorCodecOptions> = {}) =>
  createPageCursorCodec({
    key: KEY,
    listing: 'orders.byCustomer',
    keyAttributes: KEY_ATTRIBUTES,
    ...overrides,
  });

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** A cursor of `LAST_KEY` issued to cust-42, split into its two parts. */
async function issued() {
  const cursor = (await codec().encode(LAST_KEY, 'cust-42')) as string;
  const [payload = '', signature = ''] = cursor.split('.');
  return { cursor, payload, signature };
}

async function rejectionOf(
  cursor: string,
  boundTo = 'cust-42',
  options: Partial<PageCursorCodecOptions> = {},
) {
  const error = await codec(options)
    .decode(cursor, boundTo)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(InvalidPageCursorError);
  return error as InvalidPageCursorError;
}

describe('Function: createPageCursorCodec', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('Method: encode', () => {
    it('returns undefined on the last page (no LastEvaluatedKey), without needing the key', async () => {
      const key = jest.fn(async () => KEY);

      await expect(codec({ key }).encode(undefined, 'cust-42')).resolves.toBeUndefined();
      expect(key).not.toHaveBeenCalled();
    });

    it('returns a URL-safe payload and a 43-character signature, without padding', async () => {
      const { cursor, signature } = await issued();

      expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(signature).toHaveLength(43);
    });

    it('signs the same key for two callers differently', async () => {
      const mine = await codec().encode(LAST_KEY, 'cust-42');
      const theirs = await codec().encode(LAST_KEY, 'cust-7');

      expect(mine?.split('.')[0]).toBe(theirs?.split('.')[0]);
      expect(mine).not.toBe(theirs);
    });
  });

  describe('Method: decode', () => {
    it('round-trips a key for the caller it was issued to', async () => {
      const { cursor } = await issued();

      await expect(codec().decode(cursor, 'cust-42')).resolves.toEqual(LAST_KEY);
    });

    it('round-trips values with non-ASCII characters', async () => {
      const key = { orderId: 'o-1', customerId: 'zoë', createdAt: '2024-05-01T10:00:00Z#📦' };
      const cursor = (await codec().encode(key, 'zoë')) as string;

      await expect(codec().decode(cursor, 'zoë')).resolves.toEqual(key);
    });

    it('round-trips a listing that is bound to no caller', async () => {
      const products = codec({ listing: 'products', keyAttributes: ['productId'] });
      const cursor = (await products.encode({ productId: 'prod-espresso-beans' })) as string;

      await expect(products.decode(cursor)).resolves.toEqual({ productId: 'prod-espresso-beans' });
    });

    it('accepts a key read through a function, as from Secrets Manager', async () => {
      const key = jest.fn(async () => KEY);
      const cursor = (await codec({ key }).encode(LAST_KEY, 'cust-42')) as string;

      await expect(codec({ key }).decode(cursor, 'cust-42')).resolves.toEqual(LAST_KEY);
      expect(key).toHaveBeenCalledTimes(2);
    });

    it('rejects a cursor issued to another caller', async () => {
      const { cursor } = await issued();

      const error = await rejectionOf(cursor, 'cust-7');

      expect(error.message).toBe('cursor is not one this API issued');
      expect(error.name).toBe('InvalidPageCursorError');
    });

    it('rejects a caller-bound cursor used without a caller, and the other way round', async () => {
      const { cursor } = await issued();
      const unbound = (await codec().encode(LAST_KEY)) as string;

      await rejectionOf(cursor, '');
      await rejectionOf(unbound, 'cust-42');
    });

    it('rejects a cursor of another listing signed with the same key', async () => {
      const { cursor } = await issued();

      await rejectionOf(cursor, 'cust-42', { listing: 'orders.byStatus' });
    });

    it('rejects a cursor signed with another key', async () => {
      const { cursor } = await issued();

      await rejectionOf(cursor, 'cust-42', { key: OTHER_KEY });
    });

    it("rejects a payload rewritten to another customer's key, keeping the signature", async () => {
      // Prepare: the attack the unsigned cursor allowed.
      const { signature } = await issued();
      const forged = base64url(JSON.stringify({ ...LAST_KEY, customerId: 'cust-7' }));

      // Act, Assess
      await rejectionOf(`${forged}.${signature}`, 'cust-7');
      await rejectionOf(`${forged}.${signature}`, 'cust-42');
    });

    it('rejects a cursor with one character of its payload changed', async () => {
      const { payload, signature } = await issued();
      const flipped = `${payload[0] === 'A' ? 'B' : 'A'}${payload.slice(1)}`;

      await rejectionOf(`${flipped}.${signature}`);
    });

    it('rejects a cursor with its last signature character changed', async () => {
      const { payload, signature } = await issued();
      const last = signature.at(-1) === 'A' ? 'Q' : 'A';

      await rejectionOf(`${payload}.${signature.slice(0, -1)}${last}`);
    });

    it('rejects a truncated cursor', async () => {
      const { cursor } = await issued();

      await rejectionOf(cursor.slice(0, -4));
      await rejectionOf(cursor.slice(4));
    });

    it('rejects a well-formed key signed by nobody (the old unsigned format)', async () => {
      await rejectionOf(base64url(JSON.stringify(LAST_KEY)));
    });

    it.each([
      ['the empty string', ''],
      ['spaces', '   '],
      ['not base64', '!!!.%%%'],
      ['a dot alone', '.'],
      ['no payload', `.${'A'.repeat(43)}`],
      ['three parts', `eyJ9.${'A'.repeat(43)}.x`],
      ['a padded signature', `eyJ9.${'A'.repeat(42)}=`],
      ['a short signature', `eyJ9.${'A'.repeat(42)}`],
      ['a long signature', `eyJ9.${'A'.repeat(44)}`],
      ['a NUL', `eyJ9\u0000.${'A'.repeat(43)}`],
      ['a lone surrogate', `eyJ9\ud800.${'A'.repeat(43)}`],
      ['a JSON object', '{"orderId":"o"}'],
    ])('rejects %s', async (_case, cursor) => {
      await rejectionOf(cursor);
    });

    it('rejects a signed cursor whose key no longer fits the listing', async () => {
      // Prepare: issued when the listing had other key attributes.
      const old = codec({ keyAttributes: ['orderId', 'customerId'] });
      const cursor = (await old.encode(
        { orderId: 'o', customerId: 'cust-42' },
        'cust-42',
      )) as string;

      // Act, Assess
      await rejectionOf(cursor);
    });

    it.each([
      ['a number', { ...LAST_KEY, createdAt: 42 }],
      ['a map', { ...LAST_KEY, createdAt: { S: 'x' } }],
      ['an extra attribute', { ...LAST_KEY, status: 'PENDING' }],
    ])('rejects a signed cursor whose key holds %s', async (_case, key) => {
      const cursor = (await codec().encode(key, 'cust-42')) as string;

      await rejectionOf(cursor);
    });

    it('compares signatures in constant time', async () => {
      // Prepare
      const { cursor } = await issued();
      const compare = jest.spyOn(crypto, 'timingSafeEqual');

      // Act
      await codec().decode(cursor, 'cust-42');

      // Assess
      expect(compare).toHaveBeenCalledTimes(1);
    });

    it('fails, and does not sign, with a key shorter than 32 characters', async () => {
      const short = codec({ key: 'short' });

      await expect(short.encode(LAST_KEY, 'cust-42')).rejects.toThrow(
        'the page cursor key must be at least 32 characters long',
      );
      await expect(short.decode('eyJ9.AAAA', 'cust-42')).rejects.toBeInstanceOf(
        InvalidPageCursorError,
      );
      await expect(short.decode(`eyJ9.${'A'.repeat(43)}`, 'cust-42')).rejects.toThrow(
        'at least 32 characters',
      );
    });
  });
});

describe('Function: pageCursorKeyFromEnv', () => {
  const secretsManager = mockClient(SecretsManagerClient);

  afterEach(() => {
    secretsManager.reset();
  });

  const fakeSecrets = (value: string): SecretsReader & { reads: string[] } => {
    const reads: string[] = [];
    return {
      reads,
      getString: async (secretId) => {
        reads.push(secretId);
        return value;
      },
    };
  };

  it('returns PAGE_CURSOR_KEY when the stage sets one', async () => {
    const secrets = fakeSecrets('unused');

    const key = pageCursorKeyFromEnv({ PAGE_CURSOR_KEY: KEY }, secrets);

    await expect(key()).resolves.toBe(KEY);
    expect(secrets.reads).toEqual([]);
  });

  it('reads the secret named by PAGE_CURSOR_SECRET_ID otherwise', async () => {
    const secrets = fakeSecrets(OTHER_KEY);

    const key = pageCursorKeyFromEnv(
      { PAGE_CURSOR_SECRET_ID: 'shop/prod/page-cursor-key' },
      secrets,
    );

    await expect(key()).resolves.toBe(OTHER_KEY);
    expect(secrets.reads).toEqual(['shop/prod/page-cursor-key']);
  });

  it('reads the secret from Secrets Manager, once per five minutes, by default', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: OTHER_KEY });
    const key = pageCursorKeyFromEnv({ PAGE_CURSOR_SECRET_ID: 'shop/prod/page-cursor-key' });

    // Act
    const values = [await key(), await key()];

    // Assess
    expect(values).toEqual([OTHER_KEY, OTHER_KEY]);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: 'shop/prod/page-cursor-key',
    });
  });

  it('reads the environment on first use, so functions that never page need neither setting', async () => {
    const key = pageCursorKeyFromEnv({});

    await expect(key()).rejects.toThrow(
      "neither PAGE_CURSOR_KEY nor PAGE_CURSOR_SECRET_ID is set; they come from the service's serverless.yml",
    );
  });

  it('lets a codec sign and verify with the key it returns', async () => {
    const cursors = codec({ key: pageCursorKeyFromEnv({ PAGE_CURSOR_KEY: KEY }) });
    const cursor = (await cursors.encode(LAST_KEY, 'cust-42')) as string;

    await expect(codec().decode(cursor, 'cust-42')).resolves.toEqual(LAST_KEY);
  });
});
