import { instrumentHandler, logger, MetricUnit, metrics } from '@shop/observability';
import { publishPendingOrders } from '@shop/order-domain';
import { createOrderDependencies } from '../../dependencies';

const deps = createOrderDependencies();

/** Orders younger than this are still in their own request's hands. */
const GRACE_SECONDS = 30;
const BATCH_LIMIT = 100;

/**
 * Scheduled sweeper: publishes the events of orders whose publish failed after they were stored.
 * Throws when any publish failed so the invocation counts as an error and the alarm sees it.
 * Orders that failed too often are parked, counted in OrdersParked (alarmed) and logged with why;
 * `pnpm parked` lists them and retries them after the fix.
 */
export const handler = instrumentHandler(async () => {
  const result = await publishPendingOrders(deps, {
    graceSeconds: GRACE_SECONDS,
    limit: BATCH_LIMIT,
  });
  metrics.addMetric('OrdersRepublished', MetricUnit.Count, result.published.length);
  metrics.addMetric('OrdersParked', MetricUnit.Count, result.parked.length);
  if (result.published.length > 0)
    logger.info('republished orders', { orderIds: result.published });
  for (const { orderId, reason, attempts } of result.parked)
    logger.error('order parked: the sweeper stopped publishing it', { orderId, reason, attempts });
  if (result.failed.length > 0) {
    for (const { orderId, error, attempts } of result.failed)
      logger.error('republish failed', { orderId, attempts, error: error as Error });
    throw new Error(`${result.failed.length} order(s) still unpublished; next sweep retries them`);
  }
  return { published: result.published.length, parked: result.parked.length };
});
