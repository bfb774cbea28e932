import { requireEnv } from '@shop/aws-adapters';
import { eventConsumer } from '@shop/lambda-sqs';
import { countBy } from '@shop/observability';
import { chargeOrder, refundOrder } from '@shop/payment-domain';
import { createPaymentDependencies } from '../../dependencies';

const deps = createPaymentDependencies();

/**
 * Charges on OrderCreated and refunds on OrderCancelled. A transient gateway error fails the
 * record, so SQS redelivers it (its receive count is the attempt the gateway sees).
 * Declines are counted as PaymentsDeclined by reason.
 */
export const handler = eventConsumer({
  accept: ['OrderCreated', 'OrderCancelled'],
  deadLetterQueueUrl: requireEnv('EVENTS_DLQ_URL'),
  retry: { queueUrl: requireEnv('EVENTS_QUEUE_URL'), baseDelaySeconds: 1, maxDelaySeconds: 30 },
  handle: async (event, record) => {
    if (event.eventType === 'OrderCreated') {
      const payment = await chargeOrder(
        deps,
        event,
        Number(record.attributes.ApproximateReceiveCount ?? 1),
      );
      // A redelivered OrderCreated of a declined order reports the stored decline again, and is
      // counted again: rare (a failed publish, a lost delete, a republish), and never an undercount.
      if (payment.status === 'FAILED') countBy('PaymentsDeclined', 'reason', payment.reason);
    } else {
      await refundOrder(deps, event);
    }
  },
});
