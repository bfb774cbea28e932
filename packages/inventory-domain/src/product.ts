import { identifier, type Money, MoneySchema, ProductIdSchema, safeText } from '@shop/contracts';
import * as z from '@shop/contracts/zod';

/** A catalog entry with its current stock, as the API shows it. */
export const ProductSchema = z
  .object({
    productId: ProductIdSchema,
    // Free text shown to every shopper: printable characters only (see safeText).
    name: safeText().check(z.minLength(1), z.maxLength(200)),
    description: z.optional(safeText().check(z.maxLength(2000))),
    price: MoneySchema,
    stock: z.number().check(z.int(), z.gte(0)),
    /** Key of the product image in the media bucket (`uploads/...`). */
    imageKey: z.optional(z.string()),
    thumbnail: z.optional(
      z.object({
        key: z.string(),
        width: z.number().check(z.int(), z.positive()),
        height: z.number().check(z.int(), z.positive()),
      }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'Product',
    example: {
      productId: 'prod-espresso-beans',
      name: 'Espresso beans, 1 kg',
      price: { amount: 1450, currency: 'EUR' },
      stock: 40,
    },
  });

export type Product = z.infer<typeof ProductSchema>;

/** A price and the instant from which new orders pay it. */
export interface PriceChange {
  price: Money;
  /** UTC ISO 8601. */
  effectiveFrom: string;
}

/** How many prices a product remembers, the current one included. */
export const PRICE_HISTORY_LENGTH = 10;

/**
 * A product as inventory keeps it: what the API shows, plus what it needs to judge writes and
 * reservations.
 *
 * @example
 * ```ts
 * const stored: StoredProduct = { ...product, version: 3, priceHistory: [] };
 * toProduct(stored); // the API view
 * ```
 */
export type StoredProduct = Product & {
  /**
   * Bumped by every administrator's write, which is conditional on the version the administrator
   * read (optimistic concurrency; the API's ETag). Reservations change stock without bumping it.
   * Products stored before versioning (the seed) are version 0.
   */
  version: number;
  /**
   * The last {@link PRICE_HISTORY_LENGTH} prices, oldest first, the current one last; empty for
   * a product whose price never changed since history was kept.
   */
  priceHistory: PriceChange[];
};

/**
 * The API view of a stored product: its version travels as the ETag, its price history stays
 * inside inventory.
 *
 * @example
 * ```ts
 * json(200, toProduct(stored), { ETag: `"v${stored.version}"` });
 * ```
 */
export function toProduct(stored: StoredProduct): Product {
  const { version: _version, priceHistory: _priceHistory, ...product } = stored;
  return product;
}

export const ProductPageSchema = z
  .object({
    items: z.array(ProductSchema),
    /** Pass as `cursor` to get the next page; absent on the last page. */
    nextCursor: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'ProductPage' });
export type ProductPage = z.infer<typeof ProductPageSchema>;

export const ListProductsQuerySchema = z.strictObject({
  limit: z
    ._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50)
    .register(z.globalRegistry, { example: 20 }),
  cursor: z
    .optional(identifier().check(z.minLength(1), z.maxLength(2048)))
    .register(z.globalRegistry, {
      description:
        '`nextCursor` of the previous page, as issued (an HMAC makes it tamper-evident).',
    }),
});
