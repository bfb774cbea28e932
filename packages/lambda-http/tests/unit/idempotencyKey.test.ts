import { HttpError } from '../../src/errors';
import { idempotencyKeyOf } from '../../src/idempotencyKey';

describe('Function: idempotencyKeyOf', () => {
  it('returns undefined when the request has no Idempotency-Key', () => {
    expect(idempotencyKeyOf({ 'content-type': 'application/json' })).toBeUndefined();
  });

  it.each(['first-try', 'a', 'x'.repeat(255), '!~{}"#'])('returns the key %j as sent', (key) => {
    expect(idempotencyKeyOf({ 'idempotency-key': key })).toBe(key);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'has spaces'],
    ['longer than 255 characters', 'x'.repeat(256)],
    ['not ASCII', 'clé'],
    ['with a control character', 'key\u0000'],
  ])('answers 400 naming the header for a key %s', (_case, key) => {
    // Act
    let thrown: unknown;
    try {
      idempotencyKeyOf({ 'idempotency-key': key });
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({
      statusCode: 400,
      issues: [{ path: 'headers.Idempotency-Key', message: expect.any(String) }],
    });
  });
});
