import { ANALYTICS_EVENT_TYPES, recordEvent } from '@shop/analytics-domain';
import { requireEnv } from '@shop/aws-adapters';
import { eventConsumer } from '@shop/lambda-sqs';
import { logger, MetricUnit, metrics } from '@shop/observability';
import { createAnalyticsDependencies } from '../../dependencies';

const deps = createAnalyticsDependencies();

/**
 * Records InventoryUpdated, OrderConfirmed and OrderCancelled as facts. Every fact is written only
 * if absent, so a redelivered event stores nothing twice and no idempotency table is needed.
 */
export const handler = eventConsumer({
  accept: ANALYTICS_EVENT_TYPES,
  handle: async (event) => {
    const { recorded, alreadyRecorded } = await recordEvent(deps, event);
    metrics.addMetric('FactsRecorded', MetricUnit.Count, recorded);
    if (alreadyRecorded > 0) {
      logger.info('facts were already recorded; a redelivery or a republished outcome', {
        recorded,
        alreadyRecorded,
      });
    }
  },
  deadLetterQueueUrl: requireEnv('EVENTS_DLQ_URL'),
});
