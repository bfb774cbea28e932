import {
  CustomerIdSchema,
  identifier,
  MoneySchema,
  OrderCancellationReasonSchema,
  OrderIdSchema,
  OrderLineSchema,
} from '@shop/contracts';
import * as z from '@shop/contracts/zod';

export const MAX_LINES_PER_ORDER = 50;
export const MAX_QUANTITY_PER_LINE = 1000;

/**
 * Fields an older client may still send that the shop now takes from the caller's token; a body
 * with any of them is refused with an issue naming each, so the client learns why.
 */
export const FIELDS_FROM_TOKEN = {
  customerId: 'is taken from your sign-in token (its `sub`); remove it from the body',
  customerEmail: 'is taken from your sign-in token (its verified `email`); remove it from the body',
} as const;

/**
 * Body of `POST /orders`. The unit price is the one the customer saw; inventory checks it. Who
 * orders is not part of it: the customer is the caller.
 */
export const PlaceOrderRequestSchema = z
  .strictObject({
    lines: z
      .array(
        z.extend(OrderLineSchema, {
          quantity: z.number().check(z.int(), z.positive(), z.lte(MAX_QUANTITY_PER_LINE)),
        }),
      )
      .check(z.minLength(1), z.maxLength(MAX_LINES_PER_ORDER)),
    paymentToken: identifier().check(z.minLength(1), z.maxLength(256)),
  })
  .check(
    z.superRefine((request, ctx) => {
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
      // Totals are integer cents in every event; past a safe integer they are no longer exact, and
      // the order could be stored but never announced.
      const total = request.lines.reduce(
        (sum, line) => sum + line.quantity * line.unitPrice.amount,
        0,
      );
      if (!Number.isSafeInteger(total)) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines'],
          message: `the order's total is more than ${Number.MAX_SAFE_INTEGER} minor units (cents), the most an order can come to`,
        });
      }
    }),
  )
  .register(z.globalRegistry, {
    id: 'PlaceOrderRequest',
    example: {
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
    detail: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'TimelineEntry' });
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
    cancellationReason: z.optional(z.string()),
    cancellationCode: z.optional(CancellationCodeSchema),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    timeline: z.array(TimelineEntrySchema),
  })
  .register(z.globalRegistry, { id: 'Order' });
export type OrderView = z.infer<typeof OrderViewSchema>;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Query of `GET /orders`. */
export const ListOrdersQuerySchema = z.strictObject({
  customerId: z.optional(CustomerIdSchema).register(z.globalRegistry, {
    description:
      'Administrators only: whose orders to list. Customers always get their own and may not send it.',
  }),
  limit: z
    ._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_PAGE_SIZE)), DEFAULT_PAGE_SIZE)
    .register(z.globalRegistry, { example: 20 }),
  cursor: z
    .optional(identifier().check(z.minLength(1), z.maxLength(2048)))
    .register(z.globalRegistry, {
      description:
        '`nextCursor` of the previous page, as issued: its HMAC binds it to the customer whose orders it pages through.',
    }),
});
export type ListOrdersQuery = z.infer<typeof ListOrdersQuerySchema>;

export const OrderPageSchema = z
  .object({
    items: z.array(OrderViewSchema),
    /** Pass as `cursor` to get the next page; absent on the last page. */
    nextCursor: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'OrderPage' });
export type OrderPage = z.infer<typeof OrderPageSchema>;
