import { OrderIdSchema } from '@shop/contracts';
import { OrderNotFoundError, OrderValidationError } from '../errors';
import type { Order } from '../order';
import type { OrderDependencies } from '../ports';

/**
 * Reads one order.
 * @throws OrderValidationError for an id that cannot be an order id, OrderNotFoundError when absent.
 */
export async function getOrder(
  deps: Pick<OrderDependencies, 'orders'>,
  orderId: string,
): Promise<Order> {
  if (!OrderIdSchema.safeParse(orderId).success) {
    throw new OrderValidationError([{ path: 'orderId', message: 'is not a valid order id' }]);
  }
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  return order;
}
