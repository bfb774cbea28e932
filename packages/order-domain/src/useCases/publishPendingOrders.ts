import { truncateText } from '@shop/contracts';
import type { ParkedPublication } from '../order';
import type { OrderDependencies } from '../ports';
import { orderCreatedEvent } from './orderCreatedEvent';
import { publishDecision } from './recordOutcome';

/** Failed sweeps of one order before the sweeper parks it. */
export const DEFAULT_MAX_PUBLISH_ATTEMPTS = 5;

/** Enough of an error to act on, and small enough to keep on the order. */
const MAX_PARKED_REASON_LENGTH = 500;

export interface SweepResult {
  published: string[];
  /** Orders that failed this time and stay for the next sweep; `attempts` so far, if counted. */
  failed: { orderId: string; error: unknown; attempts: number | undefined }[];
  /** Orders that failed once too often and were taken out of the sweeper's reach. */
  parked: ({ orderId: string } & ParkedPublication)[];
}

/**
 * Publishes the events of orders whose publish failed or never finished: OrderCreated, and the
 * OrderConfirmed/OrderCancelled of decided orders. An order that keeps failing is parked, so it
 * cannot hold up the others: `listUnpublished` returns oldest first, and a batch full of orders
 * that can never be published would keep every younger one waiting.
 *
 * Input: a grace period, so orders still being placed are left to their own request; the batch
 * size; how many failed sweeps an order gets before it is parked (5 by default).
 * Output: which orders were published, which failed (they stay pending for the next sweep) and
 * which were parked.
 * 1. List unpublished orders created before now − grace.
 * 2. Publish what each lacks (same eventIds as the first attempts) and mark it published.
 * 3. On a failure, count it on the order and move on to the next order; at the last attempt,
 *    park the order with the error as its reason. `pnpm parked --retry` gives it back.
 */
export async function publishPendingOrders(
  deps: OrderDependencies,
  options: { graceSeconds: number; limit: number; maxAttempts?: number },
): Promise<SweepResult> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_PUBLISH_ATTEMPTS;
  const now = deps.clock.now();
  const createdBefore = new Date(now.getTime() - options.graceSeconds * 1000).toISOString();
  const pending = await deps.orders.listUnpublished(createdBefore, options.limit);
  const result: SweepResult = { published: [], failed: [], parked: [] };
  for (const order of pending) {
    try {
      if (!order.published) {
        await deps.events.publish(orderCreatedEvent(order));
        await deps.orders.markPublished(order.orderId);
      }
      await publishDecision(deps, order);
      result.published.push(order.orderId);
    } catch (error) {
      // When even counting fails (the table is unreachable too), the order just stays pending.
      const counted = await countFailure(deps, order.orderId, error, {
        maxAttempts,
        at: now.toISOString(),
      }).catch(() => ({}) as CountedFailure);
      if (counted.parked) result.parked.push({ orderId: order.orderId, ...counted.parked });
      else result.failed.push({ orderId: order.orderId, error, attempts: counted.attempts });
    }
  }
  return result;
}

interface CountedFailure {
  /** Failed sweeps so far; absent when the order no longer waited for the sweeper. */
  attempts?: number;
  /** Set when this failure was the last one allowed. */
  parked?: ParkedPublication;
}

/** Counts a failed sweep of the order and parks it at the last attempt allowed. */
async function countFailure(
  deps: Pick<OrderDependencies, 'orders'>,
  orderId: string,
  error: unknown,
  options: { maxAttempts: number; at: string },
): Promise<CountedFailure> {
  const attempts = await deps.orders.recordPublishFailure(orderId);
  if (attempts === undefined || attempts < options.maxAttempts) return { attempts };
  const parked: ParkedPublication = { at: options.at, reason: describeError(error), attempts };
  return (await deps.orders.park(orderId, parked)) ? { attempts, parked } : { attempts };
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return truncateText(text, MAX_PARKED_REASON_LENGTH);
}
