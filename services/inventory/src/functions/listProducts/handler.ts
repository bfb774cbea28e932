import { listProducts } from '@shop/inventory-domain';
import { httpHandler, json } from '@shop/lambda-http';
import { createCatalogDependencies } from '../../dependencies';
import { mapInventoryError } from '../../mapInventoryError';

const deps = createCatalogDependencies();

/** GET /products?limit=…&cursor=…: public. */
export const handler = httpHandler(
  async ({ query }) => json(200, await listProducts(deps, query)),
  { access: 'public', mapError: mapInventoryError },
);
