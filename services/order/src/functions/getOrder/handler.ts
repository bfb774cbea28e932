import { httpHandler, json } from '@shop/lambda-http';
import { getOrder, toOrderView } from '@shop/order-domain';
import { createOrderDependencies } from '../../dependencies';
import { mapOrderError } from '../../mapOrderError';

const deps = createOrderDependencies();

/** GET /orders/{id} */
export const handler = httpHandler(
  async ({ pathParameters }) =>
    json(200, toOrderView(await getOrder(deps, pathParameters.id ?? ''))),
  { mapError: mapOrderError },
);
