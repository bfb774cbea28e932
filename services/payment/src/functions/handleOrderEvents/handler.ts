import { eventConsumer } from '@shop/lambda-sqs';
import { logger } from '@shop/observability';

/**
 * Receives OrderCreated and OrderCancelled. For now it validates, logs and acknowledges them;
 * charging through the payment gateway and refunds arrive with the order choreography.
 */
export const handler = eventConsumer({
  accept: ['OrderCreated', 'OrderCancelled'],
  handle: async (event) => {
    logger.info('order event received', { orderId: event.data.orderId });
  },
});
