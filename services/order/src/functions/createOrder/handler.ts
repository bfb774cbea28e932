import { requireEnv } from '@shop/aws-adapters';
import { httpHandler, idempotencyKeyOf, json } from '@shop/lambda-http';
import type { OrderCaller } from '@shop/order-domain';
import { idempotentPerCaller } from '../../adapters/idempotentPerCaller';
import { createOrderDependencies } from '../../dependencies';
import { mapOrderError } from '../../mapOrderError';
import { orderCaller } from '../../orderCaller';
import { placeOrderAndReport } from './placeOrderAndReport';

const deps = createOrderDependencies();
const placeOrderOnce = idempotentPerCaller(
  (input: { body: unknown; caller: OrderCaller; correlationId: string }) =>
    placeOrderAndReport(deps, input),
  { tableName: requireEnv('ORDER_IDEMPOTENCY_TABLE') },
);

/** POST /orders; with an Idempotency-Key, a retry gets the first answer (see idempotentPerCaller). */
export const handler = httpHandler(
  async ({ body, correlationId, headers, context, caller }) => {
    const input = { body, caller: orderCaller(caller), correlationId };
    const order = await placeOrderOnce(input, idempotencyKeyOf(headers), context);
    return json(201, order, { Location: `/orders/${order.orderId}` });
  },
  { mapError: mapOrderError },
);
