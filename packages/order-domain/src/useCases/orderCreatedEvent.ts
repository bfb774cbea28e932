import { buildEvent, deterministicEventId } from '@shop/contracts';
import type { Order } from '../order';

/**
 * OrderCreated for an order. Its id is derived from the order id, so a republish by the sweeper
 * carries the same eventId and consumers drop it as a duplicate.
 */
export function orderCreatedEvent(order: Order) {
  return buildEvent(
    'OrderCreated',
    {
      orderId: order.orderId,
      customerId: order.customerId,
      customerEmail: order.customerEmail,
      lines: order.lines,
      total: order.total,
      paymentToken: order.paymentToken,
    },
    {
      correlationId: order.correlationId,
      eventId: deterministicEventId('OrderCreated', order.orderId),
      occurredAt: new Date(order.createdAt),
    },
  );
}
