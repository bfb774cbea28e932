import { eventCatalogue, toIssues } from '@shop/contracts';
import * as z from '@shop/contracts/zod';
import { OrderAccessError, OrderValidationError } from '../errors';
import { newOrder, type Order } from '../order';
import type { OrderCaller, OrderDependencies } from '../ports';
import { FIELDS_FROM_TOKEN, PlaceOrderRequestSchema } from '../schemas';
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
 * Input: the untrusted request body, the verified caller and the flow's correlation id.
 * Output: the stored order and whether OrderCreated reached the bus.
 * 1. The caller is the customer: their id and verified email, never the body's. A body that still
 *    names a customer is refused, and so is a caller without a verified email, or with an id or
 *    email the event contracts do not accept (OrderCreated could never be published).
 *    Validate the request; every offending field is named in the error.
 * 2. Compute the total in cents and build OrderCreated, then store the order as PENDING and
 *    unpublished: an order is stored only once its event is known to be publishable.
 * 3. Publish OrderCreated; on success mark the order published. A failed publish is not an
 *    error for the caller: the order is safely stored and `publishPendingOrders` retries it.
 *
 * @throws OrderValidationError, OrderAccessError
 */
export async function placeOrder(
  deps: OrderDependencies,
  input: { body: unknown; caller: OrderCaller; correlationId: string },
): Promise<PlaceOrderResult> {
  const fromToken = fieldsTakenFromToken(input.body);
  if (fromToken.length > 0) throw new OrderValidationError(fromToken);
  const parsed = PlaceOrderRequestSchema.safeParse(input.body);
  if (!parsed.success) throw new OrderValidationError(toIssues(parsed.error, { root: 'body' }));
  const { customerId, verifiedEmail } = input.caller;
  if (!verifiedEmail) {
    throw new OrderAccessError(
      'placing an order needs a verified email: send the ID token of an account whose email is verified',
    );
  }
  const customerProblem = unusableCustomer(customerId, verifiedEmail);
  if (customerProblem) throw new OrderAccessError(customerProblem);

  const order = newOrder(
    parsed.data,
    {
      orderId: deps.newOrderId(),
      correlationId: input.correlationId,
      customerId,
      customerEmail: verifiedEmail,
    },
    deps.clock.now(),
  );
  const event = orderCreatedEvent(order);
  await deps.orders.create(order);

  try {
    await deps.events.publish(event);
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

/** The customer as every order event carries them. */
const CustomerFieldsSchema = z.pick(eventCatalogue.OrderCreated.data, {
  customerId: true,
  customerEmail: true,
});

/** Why the token's customer cannot be an order's customer, or undefined when they can. */
function unusableCustomer(customerId: string, email: string): string | undefined {
  const checked = CustomerFieldsSchema.safeParse({ customerId, customerEmail: email });
  if (checked.success) return undefined;
  const fields = toIssues(checked.error).map((issue) =>
    issue.path === 'customerEmail' ? 'email address' : 'user id',
  );
  return `placing an order needs an account whose ${[...new Set(fields)].join(' and ')} the shop can use in its order messages; this account's cannot be`;
}

function fieldsTakenFromToken(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  return Object.entries(FIELDS_FROM_TOKEN)
    .filter(([field]) => Object.hasOwn(body, field))
    .map(([path, message]) => ({ path, message }));
}
