import { type StoredProduct, toProduct } from '@shop/inventory-domain';
import { type HttpResponse, json } from '@shop/lambda-http';
import { etagOf } from './etag';

/**
 * A product as the API answers it: the public view in the body, its version as the `ETag`.
 *
 * @example
 * ```ts
 * return productResponse(201, product, { Location: `/products/${product.productId}` });
 * ```
 */
export function productResponse(
  statusCode: number,
  product: StoredProduct,
  headers: Record<string, string> = {},
): HttpResponse {
  return json(statusCode, toProduct(product), { ETag: etagOf(product.version), ...headers });
}
