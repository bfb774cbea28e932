import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requireEnv } from '@shop/aws-adapters';
import { badRequest, httpHandler, json } from '@shop/lambda-http';
import { logger, MetricUnit, metrics } from '@shop/observability';
import { type OrderCaller, placeOrder, toOrderView } from '@shop/order-domain';
import { createOrderDependencies } from '../../dependencies';
import { mapOrderError } from '../../mapOrderError';
import { orderCaller } from '../../orderCaller';

const deps = createOrderDependencies();

async function placeOrderAndReport(input: {
  body: unknown;
  caller: OrderCaller;
  correlationId: string;
  idempotencyKey?: string;
}) {
  const result = await placeOrder(deps, input);
  const { orderId, total } = result.order;
  metrics.addMetric('OrdersCreated', MetricUnit.Count, 1);
  if (result.publishError === undefined) {
    logger.info('order placed', { orderId, total });
  } else {
    logger.warn('order placed; the sweeper will (re)publish OrderCreated', {
      orderId,
      published: result.published,
      error: result.publishError as Error,
    });
  }
  return toOrderView(result.order);
}

// Same caller + Idempotency-Key + same body → the stored response; same key + other body → 409.
// The key is scoped to the caller, so one customer's key can never replay another's order.
const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: '[caller.customerId, idempotencyKey]',
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: 24 * 60 * 60,
});
const placeOrderOnce = makeIdempotent(placeOrderAndReport, {
  persistenceStore: new DynamoDBPersistenceLayer({
    tableName: requireEnv('ORDER_IDEMPOTENCY_TABLE'),
    awsSdkV3Client: new DynamoDBClient({}),
  }),
  config: idempotencyConfig,
});

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** POST /orders */
export const handler = httpHandler(
  async ({ body, correlationId, headers, context, caller }) => {
    const idempotencyKey = headers['idempotency-key'];
    let order: Awaited<ReturnType<typeof placeOrderAndReport>>;
    if (idempotencyKey === undefined) {
      order = await placeOrderAndReport({ body, caller: orderCaller(caller), correlationId });
    } else {
      if (!IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
        throw badRequest('invalid Idempotency-Key header', [
          { path: 'headers.Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
        ]);
      }
      idempotencyConfig.registerLambdaContext(context);
      order = await placeOrderOnce({
        idempotencyKey,
        body,
        caller: orderCaller(caller),
        correlationId,
      });
    }
    return json(201, order, { Location: `/orders/${order.orderId}` });
  },
  { mapError: mapOrderError },
);
