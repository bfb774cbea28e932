import { instrumentHandler, logger, MetricUnit, metrics } from '@shop/observability';
import { publishPendingOrders } from '@shop/order-domain';
import { createOrderDependencies } from '../../dependencies';

const deps = createOrderDependencies();

/** Orders younger than this are still in their own request's hands. */
const GRACE_SECONDS = 30;
const BATCH_LIMIT = 100;

/**
 * Scheduled sweeper: publishes OrderCreated for orders whose publish failed after they were stored.
 * Throws when any publish failed so the invocation counts as an error and the alarm sees it.
 */
export const handler = instrumentHandler(async () => {
  const result = await publishPendingOrders(deps, {
    graceSeconds: GRACE_SECONDS,
    limit: BATCH_LIMIT,
  });
  metrics.addMetric('OrdersRepublished', MetricUnit.Count, result.published.length);
  if (result.published.length > 0)
    logger.info('republished orders', { orderIds: result.published });
  if (result.failed.length > 0) {
    for (const { orderId, error } of result.failed)
      logger.error('republish failed', { orderId, error: error as Error });
    throw new Error(`${result.failed.length} order(s) still unpublished; next sweep retries them`);
  }
  return { published: result.published.length };
});
