import type { OrderDependencies } from '../ports';
import { orderCreatedEvent } from './orderCreatedEvent';
import { publishDecision } from './recordOutcome';

export interface SweepResult {
  published: string[];
  failed: { orderId: string; error: unknown }[];
}

/**
 * Publishes the events of orders whose publish failed or never finished: OrderCreated, and the
 * OrderConfirmed/OrderCancelled of decided orders.
 *
 * Input: a grace period, so orders still being placed are left to their own request.
 * Output: which orders were published and which failed (they stay pending for the next sweep).
 * 1. List unpublished orders created before now − grace.
 * 2. Publish what each lacks (same eventIds as the first attempts) and mark it published.
 */
export async function publishPendingOrders(
  deps: OrderDependencies,
  options: { graceSeconds: number; limit: number },
): Promise<SweepResult> {
  const createdBefore = new Date(
    deps.clock.now().getTime() - options.graceSeconds * 1000,
  ).toISOString();
  const pending = await deps.orders.listUnpublished(createdBefore, options.limit);
  const result: SweepResult = { published: [], failed: [] };
  for (const order of pending) {
    try {
      if (!order.published) {
        await deps.events.publish(orderCreatedEvent(order));
        await deps.orders.markPublished(order.orderId);
      }
      await publishDecision(deps, order);
      result.published.push(order.orderId);
    } catch (error) {
      result.failed.push({ orderId: order.orderId, error });
    }
  }
  return result;
}
