import * as z from './zod';

/** Why a character is refused in text the shop accepts. */
export type UnsafeCharacterKind = 'control character' | 'lone surrogate' | 'non-character';

/** The first character {@link findUnsafeCharacter} refuses, and where it is. */
export interface UnsafeCharacter {
  /** Index of its first UTF-16 code unit in the string. */
  index: number;
  /** The code point (or, for a lone surrogate, the code unit) as `U+0000`. */
  codePoint: string;
  kind: UnsafeCharacterKind;
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** U+FDD0–U+FDEF, and the last two code points of every plane (U+xFFFE, U+xFFFF). */
const isNonCharacter = (codePoint: number) =>
  (codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe;

const formatCodePoint = (codePoint: number) =>
  `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

const found = (index: number, codePoint: number, kind: UnsafeCharacterKind): UnsafeCharacter => ({
  index,
  codePoint: formatCodePoint(codePoint),
  kind,
});

/**
 * The first character of `text` that no API of the shop accepts: a C0 control character
 * (U+0000–U+001F) or DEL (U+007F), a lone surrogate, or a Unicode non-character (U+FDD0–U+FDEF,
 * U+xFFFE, U+xFFFF). `undefined` when there is none.
 *
 * Reads UTF-16 code units, not code points: `JSON.parse('"\\ud800"')` yields a string holding a
 * lone surrogate, which a later UTF-8 encoding (DynamoDB, SNS, logs) would silently replace with
 * U+FFFD, so what was stored would not be what was sent.
 *
 * @example
 * ```ts
 * findUnsafeCharacter('beans\u0000'); // { index: 5, codePoint: 'U+0000', kind: 'control character' }
 * findUnsafeCharacter('café ☕');      // undefined
 * ```
 */
export function findUnsafeCharacter(text: string): UnsafeCharacter | undefined {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit <= 0x1f || unit === 0x7f) return found(index, unit, 'control character');
    if (isHighSurrogate(unit)) {
      const next = text.charCodeAt(index + 1);
      if (!isLowSurrogate(next)) return found(index, unit, 'lone surrogate');
      const codePoint = (unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
      if (isNonCharacter(codePoint)) return found(index, codePoint, 'non-character');
      index++;
    } else if (isLowSurrogate(unit)) {
      return found(index, unit, 'lone surrogate');
    } else if (isNonCharacter(unit)) {
      return found(index, unit, 'non-character');
    }
  }
  return undefined;
}

/** Whitespace and invisible format characters (zero-width, bidirectional overrides, BOM). */
const INVISIBLE_IN_IDENTIFIERS = /[\s\p{Cf}]/u;

const describeUnsafe = (character: UnsafeCharacter) =>
  `must not contain a ${character.kind} (${character.codePoint} at index ${character.index})`;

function checkText(value: string, ctx: z.core.$RefinementCtx<string>, identifier: boolean): void {
  const unsafe = findUnsafeCharacter(value);
  if (unsafe) {
    ctx.addIssue({ code: 'custom', message: describeUnsafe(unsafe) });
    return;
  }
  if (!identifier) return;
  const invisible = INVISIBLE_IN_IDENTIFIERS.exec(value);
  if (invisible) {
    const codePoint = formatCodePoint(invisible[0].codePointAt(0) ?? 0);
    ctx.addIssue({
      code: 'custom',
      message: `must not contain whitespace or invisible formatting characters (${codePoint} at index ${invisible.index})`,
    });
  }
}

/**
 * A string schema for free text people write (a product's name, an administrator's note): any
 * printable Unicode, but no control characters, lone surrogates or non-characters (see
 * {@link findUnsafeCharacter}). The issue names the character and where it is; the API reports it
 * under the field's path. Add length limits as further checks.
 *
 * @example
 * ```ts
 * const NameSchema = safeText().check(z.minLength(1), z.maxLength(200));
 * NameSchema.parse('Espresso beans, 1 kg ☕'); // ok
 * NameSchema.parse('Beans\u0007');              // ZodError: must not contain a control character …
 * ```
 */
export function safeText(): z.ZodMiniString<string> {
  return z.string().check(z.superRefine((value, ctx) => checkText(value, ctx, false)));
}

/**
 * A string schema for identifiers and opaque tokens (a product id, a payment token, a page
 * cursor): the rules of {@link safeText}, and no whitespace or invisible formatting characters
 * (zero-width spaces, bidirectional overrides, BOM), so two ids that look alike are alike.
 *
 * @example
 * ```ts
 * const ProductIdSchema = identifier().check(z.minLength(1), z.maxLength(64));
 * ProductIdSchema.parse('prod-espresso-beans'); // ok
 * ProductIdSchema.parse('prod\u202Eevil');       // ZodError: must not contain whitespace or …
 * ```
 */
export function identifier(): z.ZodMiniString<string> {
  return z.string().check(z.superRefine((value, ctx) => checkText(value, ctx, true)));
}
