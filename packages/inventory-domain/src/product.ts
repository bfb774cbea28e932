import { MoneySchema, ProductIdSchema } from '@shop/contracts';
import { z } from 'zod';

/** A catalog entry with its current stock, as the API shows it. */
export const ProductSchema = z
  .object({
    productId: ProductIdSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    price: MoneySchema,
    stock: z.number().int().min(0),
    /** Key of the product image in the media bucket (`uploads/...`). */
    imageKey: z.string().optional(),
    thumbnail: z
      .object({
        key: z.string(),
        width: z.number().int().positive(),
        height: z.number().int().positive(),
      })
      .optional(),
  })
  .meta({
    id: 'Product',
    example: {
      productId: 'prod-espresso-beans',
      name: 'Espresso beans, 1 kg',
      price: { amount: 1450, currency: 'EUR' },
      stock: 40,
    },
  });

export type Product = z.infer<typeof ProductSchema>;

export const ProductPageSchema = z
  .object({
    items: z.array(ProductSchema),
    /** Pass as `cursor` to get the next page; absent on the last page. */
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'ProductPage' });
export type ProductPage = z.infer<typeof ProductPageSchema>;

export const ListProductsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50).meta({ example: 20 }),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();
