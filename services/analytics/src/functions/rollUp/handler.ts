import { rollUp } from '@shop/analytics-domain';
import { instrumentHandler, logger } from '@shop/observability';
import { createAnalyticsDependencies } from '../../dependencies';

const deps = createAnalyticsDependencies();

/**
 * Scheduled every minute: folds the facts recorded since the last roll-up into the stored totals
 * that `GET /analytics/summary` serves. Returns the summary's counts, which the invocation log shows.
 */
export const handler = instrumentHandler(async () => {
  const { summary, stored, folded, built } = await rollUp(deps, new Date());
  if (!summary) {
    logger.warn('overlapping roll-ups committed first every time; they did the work');
    return { stored, folded };
  }
  const counts = {
    products: summary.products.length,
    confirmedOrders: summary.orders.confirmed,
    cancelledOrders: summary.orders.cancelled,
  };
  logger.info('summary rolled up', { ...counts, folded, built });
  return { ...counts, folded, built, stored };
});
