import { rollUp } from '@shop/analytics-domain';
import { instrumentHandler, logger } from '@shop/observability';
import { createAnalyticsDependencies } from '../../dependencies';

const deps = createAnalyticsDependencies();

/**
 * Scheduled every minute: summarizes every fact and stores the summary `GET /analytics/summary`
 * serves. Returns the summary's counts, which the invocation log shows.
 */
export const handler = instrumentHandler(async () => {
  const { summary, stored } = await rollUp(deps, new Date());
  const counts = {
    products: summary.products.length,
    confirmedOrders: summary.orders.confirmed,
    cancelledOrders: summary.orders.cancelled,
  };
  if (stored) logger.info('summary rolled up', counts);
  else logger.warn('a newer summary is already stored; this one was dropped', counts);
  return { ...counts, stored };
});
