import { MoneySchema } from '../money';
import { identifier } from '../safeText';
import * as z from '../zod';

// Identifiers travel in events, keys and URLs: no control, invisible or unpaired characters.
export const OrderIdSchema = identifier().check(z.minLength(1), z.maxLength(64));
export const ProductIdSchema = identifier().check(z.minLength(1), z.maxLength(64));
export const CustomerIdSchema = identifier().check(z.minLength(1), z.maxLength(64));

export const OrderLineSchema = z.strictObject({
  productId: ProductIdSchema,
  quantity: z.number().check(z.int(), z.positive()),
  unitPrice: MoneySchema,
});

export const StockLineSchema = z.strictObject({
  productId: ProductIdSchema,
  quantity: z.number().check(z.int(), z.positive()),
});
