import type { ParkedPublication } from '../order';
import type { OrderRepository } from '../ports';
import type { OrderStatus } from '../schemas';

/** A parked order as the person fixing it needs to see it. */
export interface ParkedOrder {
  orderId: string;
  status: OrderStatus;
  createdAt: string;
  /** Which event the sweeper could not publish. */
  pendingEvent: 'OrderCreated' | 'OrderConfirmed' | 'OrderCancelled';
  parked: ParkedPublication;
}

/**
 * The orders the sweeper gave up publishing, oldest first, with why.
 *
 * Input: how many to list at most. Output: the parked orders.
 *
 * @example
 * ```ts
 * for (const order of await listParkedOrders({ orders }, { limit: 100 }))
 *   console.log(order.orderId, order.parked.reason);
 * ```
 */
export async function listParkedOrders(
  deps: { orders: Pick<OrderRepository, 'listParked'> },
  options: { limit: number },
): Promise<ParkedOrder[]> {
  const orders = await deps.orders.listParked(options.limit);
  return orders.flatMap((order) =>
    order.parked
      ? [
          {
            orderId: order.orderId,
            status: order.status,
            createdAt: order.createdAt,
            pendingEvent: !order.published
              ? 'OrderCreated'
              : order.status === 'CONFIRMED'
                ? 'OrderConfirmed'
                : 'OrderCancelled',
            parked: order.parked,
          },
        ]
      : [],
  );
}

export interface RetryParkedResult {
  /** Back in the sweeper's hands, with a fresh count of attempts: the next sweep publishes them. */
  retried: string[];
  /** Not parked (never were, or retried already): left alone. */
  notParked: string[];
}

/**
 * Gives parked orders back to the sweeper once the cause is fixed (a deployed fix, the bus
 * reachable again). Safe to repeat: an order that is not parked is left alone. An order that
 * still cannot be published is parked again after the usual attempts.
 *
 * Input: the order ids. Output: which were given back and which were not parked.
 * 1. For each order, clear its parked state and its attempts and put it back in the outbox.
 */
export async function retryParkedOrders(
  deps: { orders: Pick<OrderRepository, 'unpark'> },
  orderIds: readonly string[],
): Promise<RetryParkedResult> {
  const result: RetryParkedResult = { retried: [], notParked: [] };
  for (const orderId of orderIds) {
    if (await deps.orders.unpark(orderId)) result.retried.push(orderId);
    else result.notParked.push(orderId);
  }
  return result;
}
