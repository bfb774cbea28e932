import { z } from 'zod';
import { eventDefinitions } from '../../src/catalogue';
import { EventEnvelopeSchema } from '../../src/envelope';
import { ReservationFailureSchema } from '../../src/events/inventory';
import { findBreakingChanges, type JsonSchema } from '../../src/schemaCompatibility';
import * as mini from '../../src/zod';

// The fixtures below use classic zod's methods; the catalogue's schemas are zod/mini. Both write
// the same JSON Schema, which is all findBreakingChanges reads.

const jsonSchema = (schema: z.core.$ZodType) =>
  z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;

/** The breaking changes from `before` to `after`, as `kind at path`. */
const breaks = (before: z.core.$ZodType, after: z.core.$ZodType) =>
  findBreakingChanges(jsonSchema(before), jsonSchema(after)).map(
    (change) => `${change.kind} at ${change.path}`,
  );

const Money = z.object({ amount: z.number().int().min(0), currency: z.string() }).strict();
const Order = z
  .object({
    orderId: z.string().min(1).max(64),
    status: z.enum(['PLACED', 'CANCELLED']),
    note: z.string().max(200).optional(),
    lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() }).strict()),
    total: Money,
  })
  .strict();

describe('Function: findBreakingChanges', () => {
  it.each([
    ['a removed field', Order.omit({ status: true }), ['removed-field at status']],
    ['a removed optional field', Order.omit({ note: true }), ['removed-field at note']],
    [
      'a renamed field',
      Order.omit({ orderId: true }).extend({ id: z.string().min(1).max(64) }),
      ['renamed-field at orderId'],
    ],
    [
      'a new required field',
      Order.extend({ channel: z.string() }),
      ['new-required-field at channel'],
    ],
    [
      'an optional field made required',
      Order.required({ note: true }),
      ['new-required-field at note'],
    ],
    [
      'a required field made optional',
      Order.partial({ status: true }),
      ['field-made-optional at status'],
    ],
    [
      'a removed enum value',
      Order.extend({ status: z.enum(['PLACED']) }),
      ['removed-enum-value at status'],
    ],
    ['a changed type', Order.extend({ orderId: z.number() }), ['narrowed-type at orderId']],
    [
      'a lower maximum length',
      Order.extend({ note: z.string().max(100).optional() }),
      ['narrowed-type at note'],
    ],
    [
      'a higher minimum length',
      Order.extend({ orderId: z.string().min(3).max(64) }),
      ['narrowed-type at orderId'],
    ],
    [
      'a number that must now be an integer',
      z.object({ weight: z.number().int().min(0).max(1000) }),
      ['narrowed-type at weight'],
      z.object({ weight: z.number().min(0).max(1000) }),
    ],
    [
      'a quantity that must now be at least 2',
      Order.extend({
        lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().min(2) }).strict()),
      }),
      ['narrowed-type at lines[].quantity'],
    ],
    [
      'an amount that may no longer be zero, in a nested object',
      Order.extend({ total: Money.extend({ amount: z.number().int().positive() }) }),
      ['narrowed-type at total.amount'],
    ],
    [
      'a new pattern',
      Order.extend({ total: Money.extend({ currency: z.string().regex(/^[A-Z]{3}$/) }) }),
      ['narrowed-type at total.currency'],
    ],
    [
      'an array that must now hold an item',
      Order.extend({ lines: Order.shape.lines.min(1) }),
      ['narrowed-type at lines'],
    ],
    [
      'an open object made strict',
      z.object({ orderId: z.string() }).strict(),
      ['narrowed-type at (root)'],
      z.object({ orderId: z.string() }),
    ],
    [
      'a nullable field that no longer takes null',
      z.object({ note: z.string() }),
      ['narrowed-type at note'],
      z.object({ note: z.string().nullable() }),
    ],
  ])('flags %s', (_change, after, expected, before: z.ZodType = Order) => {
    expect(breaks(before, after)).toEqual(expected);
  });

  it('says what changed', () => {
    const [removed] = findBreakingChanges(
      jsonSchema(Order),
      jsonSchema(Order.extend({ status: z.enum(['PLACED']) })),
    );

    expect(removed).toEqual({
      kind: 'removed-enum-value',
      path: 'status',
      message: '"CANCELLED" is no longer accepted',
    });
  });

  it.each([
    ['an additive optional field', Order.extend({ channel: z.string().optional() })],
    [
      'a field with a default (optional on the wire)',
      Order.extend({ channel: z.string().default('web') }),
    ],
    ['a new enum value', Order.extend({ status: z.enum(['PLACED', 'CANCELLED', 'SHIPPED']) })],
    ['a longer maximum length', Order.extend({ note: z.string().max(500).optional() })],
    [
      'a field that now also takes null',
      Order.extend({ note: z.string().max(200).nullable().optional() }),
    ],
    [
      'a field that now takes any number',
      Order.extend({ total: Money.extend({ amount: z.number() }) }),
    ],
    ['a new description', Order.extend({ orderId: Order.shape.orderId.describe('The order id') })],
    [
      'an integer quantity that may now be any positive number',
      Order.extend({
        lines: z.array(z.object({ sku: z.string(), quantity: z.number().positive() }).strict()),
      }),
    ],
    [
      '> 0 written as ≥ 1 over integers',
      Order.extend({
        lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().min(1) }).strict()),
      }),
    ],
  ])('passes %s', (_change, after) => {
    expect(breaks(Order, after)).toEqual([]);
  });

  it('flags a variant of a discriminated union that left, at its discriminator', () => {
    // Prepare
    const [unknownProduct, outOfStock] = ReservationFailureSchema.def.options;
    const withoutPriceMismatch = mini.discriminatedUnion('reason', [unknownProduct, outOfStock]);

    // Act
    const changes = breaks(ReservationFailureSchema, withoutPriceMismatch);

    // Assess
    expect(changes).toContain('removed-enum-value at reason');
  });

  it('flags a new required field inside one variant of a union', () => {
    const [unknownProduct, outOfStock, priceMismatch] = ReservationFailureSchema.def.options;
    const widened = mini.discriminatedUnion('reason', [
      mini.extend(unknownProduct, { checkedAt: mini.string() }),
      outOfStock,
      priceMismatch,
    ]);

    expect(breaks(ReservationFailureSchema, widened)).toEqual(['new-required-field at checkedAt']);
  });

  it('passes a union that gained a variant', () => {
    const grown = z.union([z.string(), z.object({ code: z.string() })]);

    expect(breaks(z.string(), grown)).toEqual([]);
  });

  it('follows $refs to reused schemas', () => {
    // Prepare
    const Line = z.object({ quantity: z.number().int() }).meta({ id: 'Line' });
    const before = z.toJSONSchema(z.object({ line: Line }), { reused: 'ref' }) as JsonSchema;
    const after = z.toJSONSchema(
      z.object({ line: z.object({ quantity: z.number().int().max(10) }).meta({ id: 'Line' }) }),
      { reused: 'ref' },
    ) as JsonSchema;

    // Act
    const changes = findBreakingChanges(before, after);

    // Assess
    expect(changes.map((change) => change.path)).toEqual(['line.quantity']);
  });

  it.each([
    ...eventDefinitions.map((definition) => [definition.type, definition.data] as const),
    ['the envelope', EventEnvelopeSchema] as const,
  ])('finds no change between %s and itself', (_name, schema) => {
    expect(breaks(schema, schema)).toEqual([]);
  });
});
