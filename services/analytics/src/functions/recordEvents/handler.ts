import { eventConsumer } from '@shop/lambda-sqs';
import { logger } from '@shop/observability';

/**
 * Receives InventoryUpdated, OrderConfirmed and OrderCancelled. For now it validates, logs and
 * acknowledges them; sales and stock history arrive with the order choreography.
 */
export const handler = eventConsumer({
  accept: ['InventoryUpdated', 'OrderConfirmed', 'OrderCancelled'],
  handle: async (event) => {
    logger.info('analytics event received', { eventType: event.eventType });
  },
});
