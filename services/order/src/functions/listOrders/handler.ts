import { httpHandler, json } from '@shop/lambda-http';
import { listOrders } from '@shop/order-domain';
import { createOrderDependencies } from '../../dependencies';
import { mapOrderError } from '../../mapOrderError';

const deps = createOrderDependencies();

/** GET /orders?customerId=…&limit=…&cursor=… */
export const handler = httpHandler(async ({ query }) => json(200, await listOrders(deps, query)), {
  mapError: mapOrderError,
});
