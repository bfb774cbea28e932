import { changeProduct } from '@shop/inventory-domain';
import { httpHandler } from '@shop/lambda-http';
import { createCatalogDependencies } from '../../dependencies';
import { expectedVersion } from '../../etag';
import { mapInventoryError } from '../../mapInventoryError';
import { productResponse } from '../../productResponse';

const deps = createCatalogDependencies();

/** PATCH /products/{id} with If-Match (administrators) */
export const handler = httpHandler(
  async ({ pathParameters, headers, body }) => {
    const product = await changeProduct(deps, {
      productId: pathParameters.id ?? '',
      expectedVersion: expectedVersion(headers['if-match']),
      body,
    });
    return productResponse(200, product);
  },
  { access: 'admin', mapError: mapInventoryError },
);
