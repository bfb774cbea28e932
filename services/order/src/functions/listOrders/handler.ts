import { httpHandler, json } from '@shop/lambda-http';
import { listOrders } from '@shop/order-domain';
import { createOrderDependencies } from '../../dependencies';
import { mapOrderError } from '../../mapOrderError';
import { orderCaller } from '../../orderCaller';

const deps = createOrderDependencies();

/** GET /orders?limit=…&cursor=…: the caller's orders (administrators may add `customerId=`). */
export const handler = httpHandler(
  async ({ query, caller }) => json(200, await listOrders(deps, query, orderCaller(caller))),
  { mapError: mapOrderError },
);
