import { z } from 'zod';
import { MoneySchema } from '../money';

export const OrderIdSchema = z.string().min(1).max(64);
export const ProductIdSchema = z.string().min(1).max(64);
export const CustomerIdSchema = z.string().min(1).max(64);

export const OrderLineSchema = z
  .object({
    productId: ProductIdSchema,
    quantity: z.number().int().positive(),
    unitPrice: MoneySchema,
  })
  .strict();

export const StockLineSchema = z
  .object({
    productId: ProductIdSchema,
    quantity: z.number().int().positive(),
  })
  .strict();
