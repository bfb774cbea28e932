import { CustomerIdSchema, OrderIdSchema, OrderLineSchema, ProductIdSchema } from '../../src';
import { findUnsafeCharacter, identifier, safeText } from '../../src/safeText';
import * as z from '../../src/zod';

/** The messages of the issues a schema raises for `value`, or [] when it accepts it. */
const messagesOf = (schema: z.ZodMiniType, value: unknown) =>
  schema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

/** What a request body holds after JSON.parse of hostile text (escapes are decoded there). */
const parsed = (jsonString: string) => JSON.parse(`"${jsonString}"`) as string;

describe('Function: findUnsafeCharacter', () => {
  it.each([
    ['plain ASCII', 'prod-espresso-beans'],
    ['accents and symbols', 'Café crème — 1 kg, 20 % off'],
    ['an emoji (a valid surrogate pair)', 'beans ☕📦'],
    ['an emoji ZWJ sequence', '👩‍🍳'],
    ['the empty string', ''],
    ['U+FFFD, the replacement character', '\ufffd'],
    ['U+FDCF and U+FDF0, next to the non-character block', '\ufdcf\ufdf0'],
    ['U+0080, after DEL', '\u0080'],
    ['U+10FFFD, the last private-use character', '\u{10fffd}'],
  ])('accepts %s', (_case, text) => {
    expect(findUnsafeCharacter(text)).toBeUndefined();
  });

  it.each([
    ['NUL', 'a\u0000b', { index: 1, codePoint: 'U+0000', kind: 'control character' }],
    ['a tab', '\tx', { index: 0, codePoint: 'U+0009', kind: 'control character' }],
    ['a line feed', 'x\n', { index: 1, codePoint: 'U+000A', kind: 'control character' }],
    ['a carriage return', 'x\ry', { index: 1, codePoint: 'U+000D', kind: 'control character' }],
    [
      'ESC (terminal escapes)',
      '\u001b[31m',
      { index: 0, codePoint: 'U+001B', kind: 'control character' },
    ],
    ['U+001F', '\u001f', { index: 0, codePoint: 'U+001F', kind: 'control character' }],
    ['DEL', 'ab\u007f', { index: 2, codePoint: 'U+007F', kind: 'control character' }],
    [
      'a lone high surrogate',
      parsed('\\ud800'),
      { index: 0, codePoint: 'U+D800', kind: 'lone surrogate' },
    ],
    [
      'a lone low surrogate',
      parsed('x\\udfff'),
      { index: 1, codePoint: 'U+DFFF', kind: 'lone surrogate' },
    ],
    [
      'a high surrogate followed by a letter',
      parsed('\\udbffx'),
      { index: 0, codePoint: 'U+DBFF', kind: 'lone surrogate' },
    ],
    [
      'two high surrogates',
      parsed('\\ud83d\\ud83d\\udce6'),
      { index: 0, codePoint: 'U+D83D', kind: 'lone surrogate' },
    ],
    [
      'reversed surrogates',
      parsed('\\udce6\\ud83d'),
      { index: 0, codePoint: 'U+DCE6', kind: 'lone surrogate' },
    ],
    ['U+FDD0', 'x\ufdd0', { index: 1, codePoint: 'U+FDD0', kind: 'non-character' }],
    ['U+FDEF', '\ufdef', { index: 0, codePoint: 'U+FDEF', kind: 'non-character' }],
    ['U+FFFE', '\ufffe', { index: 0, codePoint: 'U+FFFE', kind: 'non-character' }],
    ['U+FFFF', '\uffff', { index: 0, codePoint: 'U+FFFF', kind: 'non-character' }],
    ['U+1FFFE', 'ab\u{1fffe}', { index: 2, codePoint: 'U+1FFFE', kind: 'non-character' }],
    ['U+10FFFF', '\u{10ffff}', { index: 0, codePoint: 'U+10FFFF', kind: 'non-character' }],
  ])('finds %s', (_case, text, expected) => {
    expect(findUnsafeCharacter(text)).toEqual(expected);
  });

  it('reports the first offender', () => {
    expect(findUnsafeCharacter('ok\u007f\u0000')?.codePoint).toBe('U+007F');
  });

  it('classifies every BMP code unit as the rules say', () => {
    // Prepare
    const expectedKind = (unit: number) => {
      if (unit <= 0x1f || unit === 0x7f) return 'control character';
      if (unit >= 0xd800 && unit <= 0xdfff) return 'lone surrogate';
      if ((unit >= 0xfdd0 && unit <= 0xfdef) || unit >= 0xfffe) return 'non-character';
      return undefined;
    };

    // Act
    const wrong: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const kind = findUnsafeCharacter(`x${String.fromCharCode(unit)}y`)?.kind;
      if (kind !== expectedKind(unit)) wrong.push(unit.toString(16));
    }

    // Assess
    expect(wrong).toEqual([]);
  });

  it('refuses exactly the two last code points of every supplementary plane', () => {
    const refused: string[] = [];
    for (let plane = 1; plane <= 0x10; plane++) {
      for (const low of [0xfffd, 0xfffe, 0xffff, 0x0000]) {
        const codePoint = plane * 0x10000 + low;
        if (findUnsafeCharacter(String.fromCodePoint(codePoint)))
          refused.push(codePoint.toString(16));
      }
    }

    expect(refused).toHaveLength(2 * 16);
    expect(refused.every((hex) => hex.endsWith('fffe') || hex.endsWith('ffff'))).toBe(true);
  });
});

describe('Function: safeText', () => {
  const NoteSchema = safeText().check(z.maxLength(20));

  it('keeps free text with spaces, punctuation and emoji as sent', () => {
    expect(NoteSchema.parse('torn bags, 2 × 📦')).toBe('torn bags, 2 × 📦');
  });

  it('names the character and where it is', () => {
    expect(messagesOf(NoteSchema, 'torn\u0000bags')).toEqual([
      'must not contain a control character (U+0000 at index 4)',
    ]);
    expect(messagesOf(NoteSchema, parsed('\\ud800'))).toEqual([
      'must not contain a lone surrogate (U+D800 at index 0)',
    ]);
    expect(messagesOf(NoteSchema, '\ufdd0')).toEqual([
      'must not contain a non-character (U+FDD0 at index 0)',
    ]);
  });

  it('keeps the length checks added after it', () => {
    expect(messagesOf(NoteSchema, 'x'.repeat(21))).toHaveLength(1);
    expect(messagesOf(safeText().check(z.minLength(1)), '')).toHaveLength(1);
  });

  it('reports the field path of an object property', () => {
    const result = z.object({ note: NoteSchema }).safeParse({ note: 'a\u001bb' });

    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['note']]);
  });

  it('still rejects what is not a string', () => {
    expect(NoteSchema.safeParse(42).success).toBe(false);
  });
});

describe('Function: identifier', () => {
  const IdSchema = identifier().check(z.minLength(1), z.maxLength(64));

  it.each([
    'prod-espresso-beans',
    'tok_sandbox_success',
    'a1b2.C3_d-4~',
    '01JD6Z8Q4J7W6E1N2M3K4P5R6S',
  ])('accepts %j', (id) => {
    expect(IdSchema.parse(id)).toBe(id);
  });

  it.each([
    ['a space', 'prod espresso', 'U+0020'],
    ['a no-break space', 'prod\u00a0espresso', 'U+00A0'],
    ['a zero-width space', 'prod\u200bespresso', 'U+200B'],
    ['a right-to-left override', 'prod\u202eevil', 'U+202E'],
    ['a byte order mark', '\ufeffprod', 'U+FEFF'],
  ])('rejects %s', (_case, id, codePoint) => {
    expect(messagesOf(IdSchema, id)).toEqual([
      expect.stringContaining(`whitespace or invisible formatting characters (${codePoint}`),
    ]);
  });

  it('reports an unsafe character once, not also as whitespace', () => {
    expect(messagesOf(IdSchema, 'prod\tx')).toEqual([
      'must not contain a control character (U+0009 at index 4)',
    ]);
  });

  it.each([
    ['OrderIdSchema', OrderIdSchema],
    ['ProductIdSchema', ProductIdSchema],
    ['CustomerIdSchema', CustomerIdSchema],
  ])('is what %s is made of', (_name, schema) => {
    expect(schema.safeParse('ok-id').success).toBe(true);
    expect(schema.safeParse('bad\u0000id').success).toBe(false);
    expect(schema.safeParse(parsed('\\udc00')).success).toBe(false);
  });

  it("names the offending line's productId in an order line", () => {
    const result = z.array(OrderLineSchema).safeParse([
      {
        productId: parsed('prod-\\ud800'),
        quantity: 1,
        unitPrice: { amount: 1, currency: 'EUR' },
      },
    ]);

    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['0.productId']);
  });
});
