import { logger, MetricUnit, metrics } from '@shop/observability';
import {
  type OrderCaller,
  type OrderDependencies,
  type OrderView,
  placeOrder,
  toOrderView,
} from '@shop/order-domain';

/**
 * Places the order, counts it (OrdersCreated) and logs whether OrderCreated reached the bus; a
 * failed publish is a warning, since the sweeper (re)publishes it. Answers the order as the API
 * shows it, which is also what an idempotent retry gets back.
 */
export async function placeOrderAndReport(
  deps: OrderDependencies,
  input: { body: unknown; caller: OrderCaller; correlationId: string },
): Promise<OrderView> {
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
