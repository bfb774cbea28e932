import { defineEvent } from '../defineEvent';
import { MoneySchema } from '../money';
import * as z from '../zod';
import { OrderIdSchema } from './shared';

const SOURCE = 'payment';
const PaymentIdSchema = z.string().check(z.minLength(1), z.maxLength(64));

export const PaymentProcessed = defineEvent({
  type: 'PaymentProcessed',
  version: 1,
  source: SOURCE,
  description: 'The order total was charged.',
  data: z.strictObject({
    orderId: OrderIdSchema,
    paymentId: PaymentIdSchema,
    amount: MoneySchema,
    customerEmail: z.email(),
  }),
  example: {
    orderId: '01JD6Z8Q4J7W6E1N2M3K4P5R6S',
    paymentId: 'pay_01JD6Z9A',
    amount: { amount: 2900, currency: 'EUR' },
    customerEmail: 'ada@example.com',
  },
});

export const PaymentFailed = defineEvent({
  type: 'PaymentFailed',
  version: 1,
  source: SOURCE,
  description: 'The charge was refused for good (declined, over the limit); nothing was taken.',
  data: z.strictObject({
    orderId: OrderIdSchema,
    reason: z.enum(['DECLINED', 'AMOUNT_LIMIT_EXCEEDED', 'INVALID_TOKEN']),
    detail: z.string().check(z.maxLength(1000)),
  }),
  example: {
    orderId: '01JD6Z8Q4J7W6E1N2M3K4P5R6S',
    reason: 'DECLINED',
    detail: 'The card was declined.',
  },
});

export const PaymentRefunded = defineEvent({
  type: 'PaymentRefunded',
  version: 1,
  source: SOURCE,
  description: 'A processed payment was refunded because its order was cancelled.',
  data: z.strictObject({ orderId: OrderIdSchema, paymentId: PaymentIdSchema, amount: MoneySchema }),
  example: {
    orderId: '01JD6Z8Q4J7W6E1N2M3K4P5R6S',
    paymentId: 'pay_01JD6Z9A',
    amount: { amount: 2900, currency: 'EUR' },
  },
});
