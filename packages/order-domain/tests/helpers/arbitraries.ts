import { eventCatalogue, ProductIdSchema } from '@shop/contracts';
import fc from 'fast-check';
import type { OrderCaller } from '../../src/ports';
import { MAX_LINES_PER_ORDER, MAX_QUANTITY_PER_LINE } from '../../src/schemas';

// Generators of what the order API and its consumers accept, up to their limits. What counts as
// acceptable is asked of the contract schemas themselves, so the generators follow the contracts.

/** The longest id the contracts allow (order, product, customer). */
export const MAX_ID_LENGTH = 64;

/** Whole code points of `text` while they fit `maxLength` UTF-16 code units (zod's measure). */
const fitCodeUnits = (text: string, maxLength: number) => {
  let fitted = '';
  for (const character of text) {
    if (fitted.length + character.length > maxLength) break;
    fitted += character;
  }
  return fitted;
};

/** Any code point, astral ones (emoji) included; sometimes a lone surrogate. */
const anyCharacter = fc.oneof(
  fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
  fc.constantFrom('\u0000', '\u202e', '\ud800', ' ', 'é', '☕', '😀'),
);

/**
 * Text of `minLength`–`maxLength` UTF-16 code units built from `characters`, never cut inside a
 * surrogate pair.
 */
const textOf = (characters: fc.Arbitrary<string>, minLength: number, maxLength: number) =>
  fc
    .oneof(
      fc.array(characters, { minLength, maxLength }),
      // Right up to the limit: fast-check's default sizes rarely reach it.
      fc.array(characters, { minLength, maxLength, size: 'max' }),
    )
    .map((parts) => fitCodeUnits(parts.join(''), maxLength))
    .filter((text) => text.length >= minLength);

/** Text of any characters at all, controls and lone surrogates included: hostile input. */
export const anyTextArb = (minLength: number, maxLength: number) =>
  textOf(anyCharacter, minLength, maxLength);

/** A character the contracts allow in an identifier. */
const idCharacter = fc.oneof(
  fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.:'),
  anyCharacter.filter((character) => ProductIdSchema.safeParse(character).success),
);

/** Any id the contracts accept, up to 64 code units: accents, emoji, punctuation. */
export const idArb = textOf(idCharacter, 1, MAX_ID_LENGTH).filter(
  (id) => ProductIdSchema.safeParse(id).success,
);

/** An ISO 4217-shaped code: what MoneySchema accepts, known to Intl or not. */
export const currencyArb = fc.oneof(
  fc.constantFrom('EUR', 'USD', 'JPY', 'KWD'),
  fc.stringMatching(/^[A-Z]{3}$/),
);

/** Cents, from nothing up to `max` (by default the largest the contracts accept). */
export const amountArb = (max = Number.MAX_SAFE_INTEGER) =>
  fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max }), fc.constant(max));

/**
 * A body of `POST /orders` within the API's limits: up to 50 lines with distinct product ids of up
 * to 64 characters, up to 1000 units each, one currency, a payment token of up to 256 characters.
 * `maxUnitAmount` caps unit prices; by default any safe integer, so totals can overflow.
 * `hostile` mixes in characters the API refuses, to check it refuses them before storing.
 */
export const placeOrderBodyArb = (options: { maxUnitAmount?: number; hostile?: boolean } = {}) => {
  const productId = options.hostile ? fc.oneof(idArb, anyTextArb(1, MAX_ID_LENGTH)) : idArb;
  const token = textOf(idCharacter, 1, 256);
  return currencyArb.chain((currency) => {
    const line = fc.record({
      productId,
      quantity: fc.oneof(
        fc.integer({ min: 1, max: MAX_QUANTITY_PER_LINE }),
        fc.constant(MAX_QUANTITY_PER_LINE),
      ),
      unitPrice: fc.record({
        amount: amountArb(options.maxUnitAmount),
        currency: fc.constant(currency),
      }),
    });
    const lines = (size: fc.SizeForArbitrary) =>
      fc.uniqueArray(line, {
        minLength: 1,
        maxLength: MAX_LINES_PER_ORDER,
        selector: (generated) => generated.productId,
        size,
      });
    return fc.record({
      lines: fc.oneof(lines('small'), lines('max')),
      paymentToken: options.hostile ? fc.oneof(token, anyTextArb(1, 256)) : token,
    });
  });
};

/** A correlation id the HTTP edge keeps (anything else is replaced by a UUID there). */
export const correlationIdArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/);

/**
 * Who a verified token can name: any `sub`, any address an identity provider may have verified
 * (RFC 5322 allows far more than the contracts do), admin or not.
 */
export const callerArb: fc.Arbitrary<OrderCaller> = fc.record({
  customerId: fc.oneof(idArb, fc.uuid(), anyTextArb(1, 200)),
  verifiedEmail: fc.oneof(
    fc.emailAddress(),
    fc.constant('ada@example.com'),
    anyTextArb(0, 300),
    anyTextArb(250, 300).map((text) => `${text}@example.com`),
  ),
  isAdmin: fc.boolean(),
});

/** A caller the contracts accept as the customer of an order. */
export const ordinaryCallerArb: fc.Arbitrary<OrderCaller> = fc.record({
  customerId: fc.oneof(idArb, fc.uuid()),
  verifiedEmail: fc.constantFrom('ada@example.com', 'grace.hopper+orders@navy.example.org'),
  isAdmin: fc.constant(false),
});

const paymentFailedDetail = eventCatalogue.PaymentFailed.data.shape.detail;

/** What PaymentFailed may say about a decline: any text its schema accepts, up to its limit. */
export const paymentDetailArb = fc
  .oneof(anyTextArb(0, 1000), anyTextArb(990, 1000))
  .filter((detail) => paymentFailedDetail.safeParse(detail).success);
