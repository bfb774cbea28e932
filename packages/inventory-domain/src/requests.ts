import { safeText } from '@shop/contracts';
import * as z from '@shop/contracts/zod';
import { ProductSchema } from './product';

const fields = ProductSchema.shape;

/**
 * The id of a new product: 3–64 lowercase letters, digits and dashes, neither starting nor ending
 * with a dash, so it reads well in a URL (`/products/prod-espresso-beans`).
 */
export const NewProductIdSchema = z
  .string()
  .check(
    z.minLength(3),
    z.maxLength(64),
    z.regex(
      /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
      'must be lowercase letters, digits and dashes, not starting or ending with a dash',
    ),
  )
  .register(z.globalRegistry, { example: 'prod-espresso-beans' });

/**
 * Body of `POST /products`: a new catalog entry. Stock defaults to 0, to be restocked later.
 *
 * @example
 * ```ts
 * CreateProductRequestSchema.parse({ productId: 'prod-filter-papers', name: 'Filter papers',
 *   price: { amount: 450, currency: 'EUR' } }); // stock: 0
 * ```
 */
export const CreateProductRequestSchema = z
  .strictObject({
    productId: NewProductIdSchema,
    name: fields.name,
    description: fields.description,
    price: fields.price,
    stock: z._default(fields.stock, 0),
  })
  .register(z.globalRegistry, {
    id: 'CreateProductRequest',
    example: {
      productId: 'prod-filter-papers',
      name: 'Filter papers, 100 pcs',
      description: 'Unbleached, size 4.',
      price: { amount: 450, currency: 'EUR' },
      stock: 120,
    },
  });
export type CreateProductRequest = z.infer<typeof CreateProductRequestSchema>;

/**
 * Body of `PATCH /products/{id}`: the fields to change, at least one. Stock is not among them: it
 * changes through stock adjustments only.
 *
 * @example
 * ```ts
 * ChangeProductRequestSchema.parse({ price: { amount: 1550, currency: 'EUR' } });
 * ```
 */
export const ChangeProductRequestSchema = z
  .strictObject({
    name: z.optional(fields.name),
    description: fields.description,
    price: z.optional(fields.price),
  })
  .check(
    z.refine(
      (change) =>
        change.name !== undefined || change.description !== undefined || change.price !== undefined,
      { message: 'send at least one of name, description, price' },
    ),
  )
  .register(z.globalRegistry, {
    id: 'ChangeProductRequest',
    example: { name: 'Espresso beans, 1 kg (new crop)', price: { amount: 1550, currency: 'EUR' } },
  });
export type ChangeProductRequest = z.infer<typeof ChangeProductRequestSchema>;

/** Why an administrator changes stock: goods arrived, or the count was wrong. */
export const StockAdjustmentReasonSchema = z.enum(['RESTOCK', 'CORRECTION']);
export type StockAdjustmentReason = z.infer<typeof StockAdjustmentReasonSchema>;

/**
 * Body of `POST /products/{id}/stock-adjustments`: units to add (positive) or remove (negative),
 * and why. A restock only adds.
 *
 * @example
 * ```ts
 * StockAdjustmentRequestSchema.parse({ delta: -2, reason: 'CORRECTION', note: 'torn bags' });
 * ```
 */
export const StockAdjustmentRequestSchema = z
  .strictObject({
    delta: z
      .number()
      .check(
        z.int(),
        z.refine((delta) => delta !== 0, 'must not be 0'),
      )
      .register(z.globalRegistry, {
        description: 'Units to add (positive) or remove (negative); never 0.',
      }),
    reason: StockAdjustmentReasonSchema,
    note: z.optional(safeText().check(z.maxLength(200))),
  })
  .check(
    z.refine((adjustment) => adjustment.reason !== 'RESTOCK' || adjustment.delta > 0, {
      path: ['delta'],
      message: 'must be positive for a RESTOCK; remove stock with a CORRECTION',
    }),
  )
  .register(z.globalRegistry, {
    id: 'StockAdjustmentRequest',
    example: { delta: 24, reason: 'RESTOCK', note: 'delivery 2026-11-27 from the roaster' },
  });
export type StockAdjustmentRequest = z.infer<typeof StockAdjustmentRequestSchema>;
