import { httpHandler, json } from '@shop/lambda-http';
import { getOrder, toOrderView } from '@shop/order-domain';
import { createOrderDependencies } from '../../dependencies';
import { mapOrderError } from '../../mapOrderError';
import { orderCaller } from '../../orderCaller';

const deps = createOrderDependencies();

/** GET /orders/{id}: the caller's own order (any order for administrators), else 404. */
export const handler = httpHandler(
  async ({ pathParameters, caller }) =>
    json(200, toOrderView(await getOrder(deps, pathParameters.id ?? '', orderCaller(caller)))),
  { mapError: mapOrderError },
);
