import { toIssues } from '@shop/contracts';
import { OrderValidationError } from '../errors';
import { toOrderView } from '../order';
import type { OrderCaller, OrderDependencies } from '../ports';
import { ListOrdersQuerySchema, type OrderPage } from '../schemas';

/**
 * Lists a customer's orders, newest first, one page at a time.
 *
 * Input: the raw query string parameters (optional `limit` and `cursor`; `customerId` for
 * administrators) and the verified caller.
 * Output: a page of order views and the cursor of the next page.
 * 1. Customers list their own orders; naming a customer is refused, not ignored.
 * 2. Administrators list the named customer's orders, or their own.
 * 3. A cursor pages through the listing it was issued for: the repository binds each cursor to
 *    the listed customer with an HMAC and refuses any other, so a customer cannot page through another's
 *    orders with a forged, altered or borrowed cursor.
 * @throws OrderValidationError (a refused cursor is one, naming `cursor`)
 */
export async function listOrders(
  deps: Pick<OrderDependencies, 'orders'>,
  query: Record<string, string | undefined>,
  caller: OrderCaller,
): Promise<OrderPage> {
  const parsed = ListOrdersQuerySchema.safeParse(query);
  if (!parsed.success) throw new OrderValidationError(toIssues(parsed.error, { root: 'query' }));
  if (parsed.data.customerId !== undefined && !caller.isAdmin) {
    throw new OrderValidationError([
      {
        path: 'customerId',
        message: 'customers list their own orders; only administrators may name a customer',
      },
    ]);
  }
  const { limit, cursor } = parsed.data;
  const customerId = parsed.data.customerId ?? caller.customerId;
  const page = await deps.orders.listByCustomer(customerId, {
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return {
    items: page.orders.map(toOrderView),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
