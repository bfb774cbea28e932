import { OrderValidationError } from '../errors';
import { newOrder, type Order } from '../order';
import type { OrderDependencies } from '../ports';
import { PlaceOrderRequestSchema } from '../schemas';
import { toFieldIssues } from '../validation';
import { orderCreatedEvent } from './orderCreatedEvent';

export interface PlaceOrderResult {
  order: Order;
  /** False when the bus could not be reached; the sweeper publishes the order later. */
  published: boolean;
  /** Why publishing, or recording that it happened, failed; the sweeper takes over either way. */
  publishError?: unknown;
}

/**
 * Places an order.
 *
 * Input: the untrusted request body and the flow's correlation id.
 * Output: the stored order and whether OrderCreated reached the bus.
 * 1. Validate the request; every offending field is named in the error.
 * 2. Compute the total in cents and store the order as PENDING and unpublished.
 * 3. Publish OrderCreated; on success mark the order published. A failed publish is not an
 *    error for the caller: the order is safely stored and `publishPendingOrders` retries it.
 *
 * @throws OrderValidationError
 */
export async function placeOrder(
  deps: OrderDependencies,
  input: { body: unknown; correlationId: string },
): Promise<PlaceOrderResult> {
  const parsed = PlaceOrderRequestSchema.safeParse(input.body);
  if (!parsed.success) throw new OrderValidationError(toFieldIssues(parsed.error));

  const order = newOrder(
    parsed.data,
    { orderId: deps.newOrderId(), correlationId: input.correlationId },
    deps.clock.now(),
  );
  await deps.orders.create(order);

  try {
    await deps.events.publish(orderCreatedEvent(order));
  } catch (publishError) {
    return { order, published: false, publishError };
  }
  try {
    await deps.orders.markPublished(order.orderId);
  } catch (markError) {
    // The order is stored and on the bus; failing the request now would make the client retry
    // and place a second order. The sweeper republishes it (same eventId), consumers dedupe.
    return { order, published: true, publishError: markError };
  }
  return { order: { ...order, published: true }, published: true };
}
