import { eventConsumer } from '@shop/lambda-sqs';
import { logger } from '@shop/observability';

/**
 * Receives OrderCreated and OrderCancelled. For now it validates, logs and acknowledges them;
 * reserving and releasing stock arrive with the order choreography.
 */
export const handler = eventConsumer({
  accept: ['OrderCreated', 'OrderCancelled'],
  handle: async (event) => {
    logger.info('order event received', { orderId: event.data.orderId });
  },
});
