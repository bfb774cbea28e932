import { requireEnv } from '@shop/aws-adapters';
import { eventConsumer } from '@shop/lambda-sqs';
import { customerEventTypes, notifyCustomer } from '@shop/notification-domain';
import { logger, MetricUnit, metrics } from '@shop/observability';
import { createNotificationDependencies } from '../../dependencies';

const deps = createNotificationDependencies();

/**
 * Emails the customer a receipt (PaymentProcessed), a confirmation (OrderConfirmed) or a
 * cancellation notice (OrderCancelled): once per eventId, however often the event is delivered.
 * Invalid events go straight to the DLQ; a failed send is retried through the queue.
 */
export const handler = eventConsumer({
  accept: customerEventTypes,
  handle: async (event) => {
    const { kind, messageId } = await notifyCustomer(deps, event);
    logger.info('email sent', { orderId: event.data.orderId, kind, messageId });
    metrics.addMetric('EmailsSent', MetricUnit.Count, 1);
  },
  deadLetterQueueUrl: requireEnv('EVENTS_DLQ_URL'),
  // Required: without its idempotency table the consumer would email a redelivered event twice.
  idempotencyTable: requireEnv('IDEMPOTENCY_TABLE'),
});
