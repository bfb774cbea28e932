import { defineEvent } from '../defineEvent';
import { MoneySchema } from '../money';
import * as z from '../zod';
import { CustomerIdSchema, OrderIdSchema, OrderLineSchema } from './shared';

const SOURCE = 'order';

/**
 * The order as every order event carries it, and its example. A breaking change to one event is a
 * new version of that event with its own fields, not an edit here.
 */
const orderFields = {
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
  customerEmail: z.email(),
  lines: z.array(OrderLineSchema).check(z.minLength(1)),
  total: MoneySchema,
};

const exampleOrder = {
  orderId: '01JD6Z8Q4J7W6E1N2M3K4P5R6S',
  customerId: 'cust-42',
  customerEmail: 'ada@example.com',
  lines: [
    { productId: 'prod-espresso-beans', quantity: 2, unitPrice: { amount: 1450, currency: 'EUR' } },
  ],
  total: { amount: 2900, currency: 'EUR' },
};

export const OrderCreated = defineEvent({
  type: 'OrderCreated',
  version: 1,
  source: SOURCE,
  description: 'A customer placed an order; inventory reserves stock and payment charges for it.',
  data: z.strictObject({
    ...orderFields,
    /** Opaque token from the payment provider's client SDK; never card data. */
    paymentToken: z.string().check(z.minLength(1), z.maxLength(256)),
  }),
  example: {
    ...exampleOrder,
    paymentToken: 'tok_sandbox_success',
  },
});

export const OrderConfirmed = defineEvent({
  type: 'OrderConfirmed',
  version: 1,
  source: SOURCE,
  description: 'Stock is reserved and the payment went through: the order will ship.',
  data: z.strictObject(orderFields),
  example: exampleOrder,
});

export const OrderCancellationReasonSchema = z.enum(['INVENTORY_UNAVAILABLE', 'PAYMENT_FAILED']);

/**
 * OrderCancelled v1.
 *
 * Additive change since it was first published, so v1 stays v1: the optional
 * `unavailableItemCount`. Every payload valid before is valid now. The schema is strict, so
 * consumers must accept the new field before the order service emits it: deploy them first.
 */
export const OrderCancelled = defineEvent({
  type: 'OrderCancelled',
  version: 1,
  source: SOURCE,
  description:
    'The order cannot be fulfilled; inventory releases its reservation and payment refunds a charge.',
  data: z.strictObject({
    ...orderFields,
    reason: OrderCancellationReasonSchema,
    /** Human-readable explanation, shown to the customer. */
    detail: z.string().check(z.maxLength(1000)),
    /**
     * How many lines of the order inventory could not reserve, when `reason` is
     * INVENTORY_UNAVAILABLE; absent otherwise, and from producers that predate it.
     */
    unavailableItemCount: z.optional(z.number().check(z.int(), z.positive())),
  }),
  example: {
    ...exampleOrder,
    reason: 'PAYMENT_FAILED',
    detail: 'The card was declined.',
  },
});
