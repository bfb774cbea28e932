import { defineEvent } from '../defineEvent';
import { MoneySchema } from '../money';
import * as z from '../zod';
import { OrderIdSchema, ProductIdSchema, StockLineSchema } from './shared';

const SOURCE = 'inventory';

export const InventoryReserved = defineEvent({
  type: 'InventoryReserved',
  version: 1,
  source: SOURCE,
  description: 'Every line of the order is reserved (all or nothing).',
  data: z.strictObject({
    orderId: OrderIdSchema,
    lines: z.array(StockLineSchema).check(z.minLength(1)),
  }),
  example: {
    orderId: '01JD6Z8Q4J7W6E1N2M3K4P5R6S',
    lines: [{ productId: 'prod-espresso-beans', quantity: 2 }],
  },
});

export const ReservationFailureSchema = z.discriminatedUnion('reason', [
  z.strictObject({ productId: ProductIdSchema, reason: z.literal('UNKNOWN_PRODUCT') }),
  z.strictObject({
    productId: ProductIdSchema,
    reason: z.literal('OUT_OF_STOCK'),
    requested: z.number().check(z.int(), z.positive()),
    available: z.number().check(z.int(), z.gte(0)),
  }),
  z.strictObject({
    productId: ProductIdSchema,
    reason: z.literal('PRICE_MISMATCH'),
    quoted: MoneySchema,
    current: MoneySchema,
  }),
]);

export const InventoryReservationFailed = defineEvent({
  type: 'InventoryReservationFailed',
  version: 1,
  source: SOURCE,
  description: 'At least one line could not be reserved; nothing is held for the order.',
  data: z.strictObject({
    orderId: OrderIdSchema,
    failures: z.array(ReservationFailureSchema).check(z.minLength(1)),
  }),
  example: {
    orderId: '01JD6Z8Q4J7W6E1N2M3K4P5R6S',
    failures: [
      { productId: 'prod-espresso-beans', reason: 'OUT_OF_STOCK', requested: 2, available: 1 },
    ],
  },
});

/**
 * Why stock changed: an order RESERVED it or a cancelled one RELEASED it; an administrator
 * RESTOCKED (goods arrived) or CORRECTED the count (found, lost or damaged; either sign).
 *
 * @example
 * ```ts
 * StockChangeCauseSchema.parse('RESTOCKED');
 * ```
 */
export const StockChangeCauseSchema = z.enum(['RESERVED', 'RELEASED', 'RESTOCKED', 'CORRECTED']);

/**
 * InventoryUpdated v1.
 *
 * Additive changes since it was first published, so v1 stays v1: `CORRECTED` joined `cause`, and
 * the optional `note` carries an administrator's reason for a restock or correction. Every payload
 * valid before is valid now; consumers must accept the new value before inventory emits it.
 */
export const InventoryUpdated = defineEvent({
  type: 'InventoryUpdated',
  version: 1,
  source: SOURCE,
  description:
    'Stock levels changed (reservation, release, restock or correction); carries the new levels.',
  data: z.strictObject({
    cause: StockChangeCauseSchema,
    /** The order that reserved or released stock; absent for restocks and corrections. */
    orderId: z.optional(OrderIdSchema),
    /** What the administrator wrote about a restock or correction. */
    note: z.optional(z.string().check(z.maxLength(200))),
    changes: z
      .array(
        z.strictObject({
          productId: ProductIdSchema,
          delta: z.number().check(z.int()),
          stock: z.number().check(z.int(), z.gte(0)),
        }),
      )
      .check(z.minLength(1)),
  }),
  example: {
    cause: 'RESERVED',
    orderId: '01JD6Z8Q4J7W6E1N2M3K4P5R6S',
    changes: [{ productId: 'prod-espresso-beans', delta: -2, stock: 38 }],
  },
});
