import type { ShopEvent } from '@shop/contracts';
import type { PaymentDependencies, PaymentRecord } from '../ports';
import { publishOutcome } from './chargeOrder';

/**
 * Refunds a cancelled order's payment, once.
 *
 * Input: OrderCancelled. Output: the stored record; PaymentRefunded is published when money
 * went back.
 * 1. No record (the cancellation overtook OrderCreated): record that, so a late OrderCreated
 *    does not charge.
 * 2. PROCESSED: refund through the gateway (idempotency key per order), record REFUNDED.
 * 3. REFUNDED (a redelivery): publish PaymentRefunded again. FAILED: nothing was taken.
 */
export async function refundOrder(
  deps: PaymentDependencies,
  event: ShopEvent<'OrderCancelled'>,
): Promise<PaymentRecord> {
  const { orderId } = event.data;
  let record =
    (await deps.payments.get(orderId)) ??
    (await deps.payments.create({ orderId, status: 'CANCELLED_FIRST' }));
  if (record.status === 'PROCESSED') {
    const { refundId } = await deps.gateway.refund({
      idempotencyKey: `refund-${orderId}`,
      orderId,
      paymentId: record.paymentId,
      amount: record.amount,
    });
    record = await deps.payments.transition('PROCESSED', {
      orderId,
      status: 'REFUNDED',
      paymentId: record.paymentId,
      amount: record.amount,
      refundId,
      charged: true,
    });
  }
  if (record.status === 'REFUNDED') await publishOutcome(deps, record, event.correlationId);
  return record;
}
