import { requireEnv } from '@shop/aws-adapters';
import { eventConsumer } from '@shop/lambda-sqs';
import { countBy, MetricUnit, metrics } from '@shop/observability';
import { recordOutcome } from '@shop/order-domain';
import { createOrderDependencies } from '../../dependencies';

const deps = createOrderDependencies();

/**
 * Moves orders from PENDING to CONFIRMED or CANCELLED on what inventory and payment report, in
 * whatever order their events arrive; version conflicts between concurrent reports retry soon.
 * Counts each decision once: OrdersConfirmed, and OrdersCancelled by reason code.
 */
export const handler = eventConsumer({
  accept: ['InventoryReserved', 'InventoryReservationFailed', 'PaymentProcessed', 'PaymentFailed'],
  deadLetterQueueUrl: requireEnv('EVENTS_DLQ_URL'),
  retry: { queueUrl: requireEnv('EVENTS_QUEUE_URL'), baseDelaySeconds: 1, maxDelaySeconds: 30 },
  handle: async (event) => {
    const { order, decided } = await recordOutcome(deps, event);
    if (decided === 'CONFIRMED') metrics.addMetric('OrdersConfirmed', MetricUnit.Count, 1);
    if (decided === 'CANCELLED')
      countBy('OrdersCancelled', 'reason', order.cancellationCode ?? 'UNKNOWN');
  },
});
