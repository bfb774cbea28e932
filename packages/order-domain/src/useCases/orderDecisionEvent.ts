import { buildEvent, deterministicEventId, type ShopEvent } from '@shop/contracts';
import type { Order } from '../order';

/**
 * OrderConfirmed or OrderCancelled for a decided order (undefined while it is PENDING). Its id is
 * derived from the order, so every republish is the same event.
 */
export function orderDecisionEvent(
  order: Order,
): ShopEvent<'OrderConfirmed' | 'OrderCancelled'> | undefined {
  const data = {
    orderId: order.orderId,
    customerId: order.customerId,
    customerEmail: order.customerEmail,
    lines: order.lines,
    total: order.total,
  };
  const options = (type: string) => ({
    correlationId: order.correlationId,
    eventId: deterministicEventId(type, order.orderId),
  });
  if (order.status === 'CONFIRMED')
    return buildEvent('OrderConfirmed', data, options('OrderConfirmed'));
  if (order.status === 'CANCELLED') {
    return buildEvent(
      'OrderCancelled',
      {
        ...data,
        reason: order.cancellationCode ?? 'PAYMENT_FAILED',
        detail: order.cancellationReason ?? '',
      },
      options('OrderCancelled'),
    );
  }
  return undefined;
}
