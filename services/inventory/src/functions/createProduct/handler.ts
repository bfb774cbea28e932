import { createProduct } from '@shop/inventory-domain';
import { httpHandler } from '@shop/lambda-http';
import { createCatalogDependencies } from '../../dependencies';
import { mapInventoryError } from '../../mapInventoryError';
import { productResponse } from '../../productResponse';

const deps = createCatalogDependencies();

/** POST /products (administrators) */
export const handler = httpHandler(
  async ({ body }) => {
    const product = await createProduct(deps, body);
    return productResponse(201, product, { Location: `/products/${product.productId}` });
  },
  { access: 'admin', mapError: mapInventoryError },
);
