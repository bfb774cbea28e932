import { OrderValidationError } from '../../src/errors';
import { placeOrder } from '../../src/useCases/placeOrder';
import { fakeDependencies } from '../helpers/fakes';
import { customerCaller, placeOrderBody } from '../helpers/fixtures';

// Hostile strings stop at the edge: identifiers in a new order are refused, naming the field,
// before anything is stored or published, instead of being stored with a replaced character.

/** A body as JSON.parse leaves it: `\ud800` in the text becomes a lone surrogate in the string. */
const parsedBody = (json: string): unknown => JSON.parse(json);

const hostile = [
  ['a NUL', 'tok\u0000x'],
  ['an escape sequence', '\u001b[2Jtok'],
  ['DEL', 'tok\u007f'],
  ['a lone high surrogate', JSON.parse('"tok\\ud800"') as string],
  ['a lone low surrogate', JSON.parse('"\\udfffok"') as string],
  ['U+FDD0', 'tok\ufdd0'],
  ['U+FFFE', 'tok\ufffe'],
  ['U+10FFFF', 'tok\u{10ffff}'],
  ['a zero-width space', 'tok\u200bx'],
  ['a right-to-left override', 'tok\u202ex'],
] as const;

async function rejectedPaths(body: unknown): Promise<string[]> {
  const deps = fakeDependencies();
  const error = await placeOrder(deps, {
    body,
    caller: customerCaller(),
    correlationId: 'corr-hostile',
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OrderValidationError);
  expect(deps.orders.all()).toEqual([]);
  expect(deps.events.attempts).toEqual([]);
  return (error as OrderValidationError).issues.map((issue) => issue.path);
}

describe('Function: placeOrder (hostile strings)', () => {
  it.each(hostile)('rejects a paymentToken with %s, naming it', async (_case, paymentToken) => {
    expect(await rejectedPaths({ ...placeOrderBody(), paymentToken })).toEqual(['paymentToken']);
  });

  it.each(hostile)("rejects a line's productId with %s, naming it", async (_case, productId) => {
    const body = placeOrderBody();
    const lines = body.lines.map((line, index) => (index === 0 ? { ...line, productId } : line));

    expect(await rejectedPaths({ ...body, lines })).toEqual(['lines.0.productId']);
  });

  it('rejects a lone surrogate escaped in the JSON text, as the HTTP edge parses it', async () => {
    const body = parsedBody(
      '{"lines":[{"productId":"prod-\\ud83d","quantity":1,"unitPrice":{"amount":1450,"currency":"EUR"}}],' +
        '"paymentToken":"tok_sandbox_success"}',
    );

    expect(await rejectedPaths(body)).toEqual(['lines.0.productId']);
  });

  it('accepts a productId and a token made of visible characters', async () => {
    const body = placeOrderBody();
    const lines = body.lines.map((line, index) =>
      index === 0 ? { ...line, productId: 'prod-café_ü.1' } : line,
    );

    const result = await placeOrder(fakeDependencies(), {
      body: { ...body, lines, paymentToken: 'pm_1Q2w3E4r5T6y~' },
      caller: customerCaller(),
      correlationId: 'corr-ok',
    });

    expect(result.order.lines[0]?.productId).toBe('prod-café_ü.1');
  });
});
