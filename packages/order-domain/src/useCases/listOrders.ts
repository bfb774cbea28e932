import { OrderValidationError } from '../errors';
import { toOrderView } from '../order';
import type { OrderDependencies } from '../ports';
import { ListOrdersQuerySchema, type OrderPage } from '../schemas';
import { toFieldIssues } from '../validation';

/**
 * Lists a customer's orders, newest first, one page at a time.
 *
 * Input: the raw query string parameters (`customerId`, optional `limit` and `cursor`).
 * Output: a page of order views and the cursor of the next page.
 * @throws OrderValidationError
 */
export async function listOrders(
  deps: Pick<OrderDependencies, 'orders'>,
  query: Record<string, string | undefined>,
): Promise<OrderPage> {
  const parsed = ListOrdersQuerySchema.safeParse(query);
  if (!parsed.success) throw new OrderValidationError(toFieldIssues(parsed.error));
  const { customerId, limit, cursor } = parsed.data;
  const page = await deps.orders.listByCustomer(customerId, {
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return {
    items: page.orders.map(toOrderView),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
