import { buildEvent, deterministicEventId, type ShopEvent } from '@shop/contracts';
import { boundedCancellationReason } from '../cancellationReason';
import type { Order } from '../order';

/**
 * OrderConfirmed or OrderCancelled for a decided order (undefined while it is PENDING). Its id is
 * derived from the order, so every republish is the same event. Built from any order the order
 * domain stores, it passes the catalogue's schema: the reason is cut to OrderCancelled's limit.
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
        // Orders cancelled before reasons were bounded may hold a longer one.
        detail: boundedCancellationReason(order.cancellationReason ?? ''),
        ...(order.cancellationCode === 'INVENTORY_UNAVAILABLE' && order.unavailableItemCount
          ? { unavailableItemCount: order.unavailableItemCount }
          : {}),
      },
      options('OrderCancelled'),
    );
  }
  return undefined;
}
