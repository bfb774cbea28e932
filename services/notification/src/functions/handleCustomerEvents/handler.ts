import { eventConsumer } from '@shop/lambda-sqs';
import { logger } from '@shop/observability';

/**
 * Receives PaymentProcessed, OrderConfirmed and OrderCancelled. For now it validates, logs and
 * acknowledges them; emails through SES arrive with the order choreography.
 */
export const handler = eventConsumer({
  accept: ['PaymentProcessed', 'OrderConfirmed', 'OrderCancelled'],
  handle: async (event) => {
    logger.info('customer event received', { orderId: event.data.orderId });
  },
});
