import {
  buildEvent,
  deterministicEventId,
  eventCatalogue,
  maxLengthOf,
  type ShopEvent,
  truncateText,
} from '@shop/contracts';
import type { PaymentDependencies, PaymentRecord } from '../ports';

/** What PaymentFailed's `detail` may carry, read from the contract so the two cannot drift. */
const DECLINE_DETAIL_MAX_LENGTH = maxLengthOf(eventCatalogue.PaymentFailed.data.shape.detail);

/**
 * A provider's decline message cut to what PaymentFailed can carry: the gateway port promises no
 * length, and a PaymentFailed that cannot be built leaves its order waiting for ever.
 */
const declineDetail = (detail: string) => truncateText(detail, DECLINE_DETAIL_MAX_LENGTH);

/**
 * Charges a new order once.
 *
 * Input: OrderCreated and its delivery attempt. Output: the stored payment record;
 * PaymentProcessed or PaymentFailed is published.
 * 1. A record exists (a redelivery): publish its outcome again.
 * 2. Charge through the gateway with the order id as idempotency key, so a retry after a crash
 *    cannot charge twice. A transient gateway error propagates: the event is retried.
 * 3. Store the outcome (the first stored wins), a decline's message cut to what PaymentFailed
 *    can carry. If the order was cancelled meanwhile, refund at once instead of reporting a
 *    payment for a cancelled order.
 */
export async function chargeOrder(
  deps: PaymentDependencies,
  event: ShopEvent<'OrderCreated'>,
  attempt: number,
): Promise<PaymentRecord> {
  const { orderId, total, paymentToken, customerEmail } = event.data;
  const existing = await deps.payments.get(orderId);
  if (existing) {
    await publishOutcome(deps, existing, event.correlationId);
    return existing;
  }

  const result = await deps.gateway.charge({
    idempotencyKey: `charge-${orderId}`,
    orderId,
    amount: total,
    token: paymentToken,
    attempt,
  });
  const outcome: PaymentRecord =
    result.status === 'SUCCEEDED'
      ? { orderId, status: 'PROCESSED', paymentId: result.paymentId, amount: total, customerEmail }
      : { orderId, status: 'FAILED', reason: result.reason, detail: declineDetail(result.detail) };
  let stored = await deps.payments.create(outcome);

  if (stored.status === 'CANCELLED_FIRST' && outcome.status === 'PROCESSED') {
    const { refundId } = await deps.gateway.refund({
      idempotencyKey: `refund-${orderId}`,
      orderId,
      paymentId: outcome.paymentId,
      amount: total,
    });
    stored = await deps.payments.transition('CANCELLED_FIRST', {
      orderId,
      status: 'REFUNDED',
      paymentId: outcome.paymentId,
      amount: total,
      refundId,
      // Never reported as processed: only the refund is news.
      charged: false,
    });
  }
  await publishOutcome(deps, stored, event.correlationId);
  return stored;
}

/** Publishes what a payment record says happened; ids are derived, so repeats are duplicates. */
export async function publishOutcome(
  deps: PaymentDependencies,
  record: PaymentRecord,
  correlationId: string,
) {
  const options = (type: string) => ({
    correlationId,
    eventId: deterministicEventId(type, record.orderId),
  });
  switch (record.status) {
    case 'PROCESSED':
      await deps.events.publish(
        buildEvent(
          'PaymentProcessed',
          {
            orderId: record.orderId,
            paymentId: record.paymentId,
            amount: record.amount,
            customerEmail: record.customerEmail,
          },
          options('PaymentProcessed'),
        ),
      );
      return;
    case 'FAILED':
      await deps.events.publish(
        buildEvent(
          'PaymentFailed',
          // Records stored before messages were cut may hold a longer one.
          { orderId: record.orderId, reason: record.reason, detail: declineDetail(record.detail) },
          options('PaymentFailed'),
        ),
      );
      return;
    case 'REFUNDED':
      await deps.events.publish(
        buildEvent(
          'PaymentRefunded',
          { orderId: record.orderId, paymentId: record.paymentId, amount: record.amount },
          options('PaymentRefunded'),
        ),
      );
      return;
    case 'CANCELLED_FIRST':
      return;
  }
}
