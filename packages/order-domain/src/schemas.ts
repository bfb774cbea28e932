import {
  CustomerIdSchema,
  MoneySchema,
  OrderCancellationReasonSchema,
  OrderIdSchema,
  OrderLineSchema,
} from '@shop/contracts';
import { z } from 'zod';

export const MAX_LINES_PER_ORDER = 50;
export const MAX_QUANTITY_PER_LINE = 1000;

/** Body of `POST /orders`. The unit price is the one the customer saw; inventory checks it. */
export const PlaceOrderRequestSchema = z
  .object({
    customerId: CustomerIdSchema,
    customerEmail: z.email(),
    lines: z
      .array(
        OrderLineSchema.extend({
          quantity: z.number().int().positive().max(MAX_QUANTITY_PER_LINE),
        }),
      )
      .min(1)
      .max(MAX_LINES_PER_ORDER),
    paymentToken: z.string().min(1).max(256),
  })
  .strict()
  .superRefine((request, ctx) => {
    const currency = request.lines[0]?.unitPrice.currency;
    const seen = new Map<string, number>();
    request.lines.forEach((line, index) => {
      if (line.unitPrice.currency !== currency) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', index, 'unitPrice', 'currency'],
          message: `every line must use the order's currency ${currency}`,
        });
      }
      const first = seen.get(line.productId);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', index, 'productId'],
          message: `duplicates line ${first}; put the whole quantity on one line`,
        });
      } else {
        seen.set(line.productId, index);
      }
    });
  })
  .meta({
    id: 'PlaceOrderRequest',
    example: {
      customerId: 'cust-42',
      customerEmail: 'ada@example.com',
      lines: [
        {
          productId: 'prod-espresso-beans',
          quantity: 2,
          unitPrice: { amount: 1450, currency: 'EUR' },
        },
      ],
      paymentToken: 'tok_sandbox_success',
    },
  });

export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequestSchema>;

export const OrderStatusSchema = z.enum(['PENDING', 'CONFIRMED', 'CANCELLED']);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const CancellationCodeSchema = OrderCancellationReasonSchema;
export type CancellationCode = z.infer<typeof CancellationCodeSchema>;

export const TimelineEntrySchema = z
  .object({
    at: z.iso.datetime(),
    event: z.string(),
    detail: z.string().optional(),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/** An order as the API returns it. The payment token never leaves the service. */
export const OrderViewSchema = z
  .object({
    orderId: OrderIdSchema,
    customerId: CustomerIdSchema,
    customerEmail: z.email(),
    lines: z.array(OrderLineSchema),
    total: MoneySchema,
    status: OrderStatusSchema,
    cancellationReason: z.string().optional(),
    cancellationCode: CancellationCodeSchema.optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    timeline: z.array(TimelineEntrySchema),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof OrderViewSchema>;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Query of `GET /orders`. */
export const ListOrdersQuerySchema = z
  .object({
    customerId: CustomerIdSchema.meta({ example: 'cust-42' }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(DEFAULT_PAGE_SIZE)
      .meta({ example: 20 }),
    cursor: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .meta({ description: '`nextCursor` of the previous page.' }),
  })
  .strict();
export type ListOrdersQuery = z.infer<typeof ListOrdersQuerySchema>;

export const OrderPageSchema = z
  .object({
    items: z.array(OrderViewSchema),
    /** Pass as `cursor` to get the next page; absent on the last page. */
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'OrderPage' });
export type OrderPage = z.infer<typeof OrderPageSchema>;
