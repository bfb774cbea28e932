import { getProduct } from '@shop/inventory-domain';
import { httpHandler } from '@shop/lambda-http';
import { createCatalogDependencies } from '../../dependencies';
import { mapInventoryError } from '../../mapInventoryError';
import { productResponse } from '../../productResponse';

const deps = createCatalogDependencies();

/** GET /products/{id}: public; the ETag is what administrators send back in If-Match. */
export const handler = httpHandler(
  async ({ pathParameters }) =>
    productResponse(200, await getProduct(deps, pathParameters.id ?? '')),
  { access: 'public', mapError: mapInventoryError },
);
