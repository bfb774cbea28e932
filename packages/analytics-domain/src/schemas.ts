import {
  eventCatalogue,
  MoneySchema,
  OrderCancellationReasonSchema,
  OrderIdSchema,
  ProductIdSchema,
} from '@shop/contracts';
import * as z from '@shop/contracts/zod';

/** How many of a product's most recent stock changes the summary keeps. */
export const STOCK_HISTORY_LENGTH = 20;

/** Why stock changed; the same enum InventoryUpdated carries, so the two cannot drift apart. */
export const StockChangeCauseSchema = eventCatalogue.InventoryUpdated.data.shape.cause;
export type StockChangeCause = z.infer<typeof StockChangeCauseSchema>;

export type OrderCancellationReason = z.infer<typeof OrderCancellationReasonSchema>;

const CountSchema = z.number().check(z.int(), z.gte(0));

/** One point of a product's stock history: the level after a change, and the change. */
export const StockPointSchema = z
  .strictObject({
    at: z.iso.datetime(),
    stock: z.number().check(z.int(), z.gte(0)),
    delta: z.number().check(z.int()),
    cause: StockChangeCauseSchema,
    orderId: z.optional(OrderIdSchema),
    note: z.optional(z.string().check(z.maxLength(200))).register(z.globalRegistry, {
      description: "The administrator's note on a restock or correction.",
    }),
  })
  .register(z.globalRegistry, { id: 'StockPoint' });
export type StockPoint = z.infer<typeof StockPointSchema>;

/** Amounts per currency, sorted by currency code; a shop may sell one product in several. */
const RevenueSchema = z.array(MoneySchema).register(z.globalRegistry, {
  description: 'One amount per currency, in cents, sorted by currency code; empty when none.',
});

/** One product in the summary: what it sold, and its stock as the latest InventoryUpdated left it. */
export const ProductSummarySchema = z
  .strictObject({
    productId: ProductIdSchema,
    unitsSold: CountSchema,
    revenue: RevenueSchema,
    unitsRestocked: z.number().check(z.int()).register(z.globalRegistry, {
      description: 'Units added by every restock (RESTOCKED) seen, not only those in the history.',
    }),
    unitsCorrected: z
      .number()
      .check(z.int())
      .register(z.globalRegistry, {
        description:
          'Net units of every correction (CORRECTED) seen: positive when more stock was found ' +
          'than counted, negative when it was lost or damaged.',
      }),
    currentStock: z.nullable(z.number().check(z.int(), z.gte(0))).register(z.globalRegistry, {
      description: 'Stock after the latest InventoryUpdated by time; null when none was seen.',
    }),
    stockHistory: z
      .array(StockPointSchema)
      .check(z.maxLength(STOCK_HISTORY_LENGTH))
      .register(z.globalRegistry, {
        description: `The last ${STOCK_HISTORY_LENGTH} stock changes, oldest first.`,
      }),
  })
  .register(z.globalRegistry, { id: 'ProductSummary' });
export type ProductSummary = z.infer<typeof ProductSummarySchema>;

const AnalyticsSummaryObject = z.strictObject({
  generatedAt: z.iso.datetime(),
  products: z
    .array(ProductSummarySchema)
    .register(z.globalRegistry, { description: 'Sorted by productId.' }),
  orders: z.strictObject({
    confirmed: CountSchema,
    cancelled: CountSchema,
    cancelledByReason: z
      .record(OrderCancellationReasonSchema, CountSchema)
      .register(z.globalRegistry, { description: 'Every reason, with 0 for those not seen.' }),
  }),
  revenue: RevenueSchema,
});

// Typed against the schema, so an example that drifts from it fails the type-check.
const exampleSummary: z.input<typeof AnalyticsSummaryObject> = {
  generatedAt: '2026-11-27T10:05:00.000Z',
  products: [
    {
      productId: 'prod-espresso-beans',
      unitsSold: 2,
      revenue: [{ amount: 2900, currency: 'EUR' }],
      unitsRestocked: 42,
      unitsCorrected: -2,
      currentStock: 38,
      stockHistory: [
        {
          at: '2026-11-27T09:00:00.000Z',
          stock: 42,
          delta: 42,
          cause: 'RESTOCKED',
          note: 'delivery from the roaster',
        },
        {
          at: '2026-11-27T09:30:00.000Z',
          stock: 40,
          delta: -2,
          cause: 'CORRECTED',
          note: 'two bags torn',
        },
        {
          at: '2026-11-27T10:00:00.000Z',
          stock: 38,
          delta: -2,
          cause: 'RESERVED',
          orderId: '01JD6Z8Q4J7W6E1N2M3K4P5R6S',
        },
      ],
    },
  ],
  orders: {
    confirmed: 1,
    cancelled: 1,
    cancelledByReason: { INVENTORY_UNAVAILABLE: 0, PAYMENT_FAILED: 1 },
  },
  revenue: [{ amount: 2900, currency: 'EUR' }],
};

/**
 * What `GET /analytics/summary` returns: sales and stock per product, order outcomes and revenue,
 * as of the roll-up that produced it. Money is integer cents with its currency.
 *
 * @example
 * ```ts
 * const summary = AnalyticsSummarySchema.parse(await response.json());
 * summary.orders.cancelledByReason.PAYMENT_FAILED; // a count
 * ```
 */
export const AnalyticsSummarySchema = AnalyticsSummaryObject.register(z.globalRegistry, {
  id: 'AnalyticsSummary',
  example: exampleSummary,
});
export type AnalyticsSummary = z.infer<typeof AnalyticsSummarySchema>;
