import { z } from 'zod';
import { MoneySchema } from '../money';
import { identifier } from '../safeText';

// Identifiers travel in events, keys and URLs: no control, invisible or unpaired characters.
export const OrderIdSchema = identifier().min(1).max(64);
export const ProductIdSchema = identifier().min(1).max(64);
export const CustomerIdSchema = identifier().min(1).max(64);

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
