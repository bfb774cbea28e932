import { OrderIdSchema } from '@shop/contracts';
import { OrderNotFoundError, OrderValidationError } from '../errors';
import type { Order } from '../order';
import type { OrderCaller, OrderDependencies } from '../ports';

/**
 * Reads one order for its owner, or for an administrator.
 * Another customer's order is answered exactly like a missing one, so ids reveal nothing.
 * @throws OrderValidationError for an id that cannot be an order id, OrderNotFoundError when absent
 *   or not the caller's.
 */
export async function getOrder(
  deps: Pick<OrderDependencies, 'orders'>,
  orderId: string,
  caller: OrderCaller,
): Promise<Order> {
  if (!OrderIdSchema.safeParse(orderId).success) {
    throw new OrderValidationError([{ path: 'orderId', message: 'is not a valid order id' }]);
  }
  const order = await deps.orders.get(orderId);
  if (!order || (!caller.isAdmin && order.customerId !== caller.customerId)) {
    throw new OrderNotFoundError(orderId);
  }
  return order;
}
