import { getProduct } from '@shop/inventory-domain';
import { httpHandler, json } from '@shop/lambda-http';
import { createCatalogDependencies } from '../../dependencies';
import { mapInventoryError } from '../../mapInventoryError';

const deps = createCatalogDependencies();

/** GET /products/{id} */
export const handler = httpHandler(
  async ({ pathParameters }) => json(200, await getProduct(deps, pathParameters.id ?? '')),
  { mapError: mapInventoryError },
);
