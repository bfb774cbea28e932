import { type ShopEvent, toIssues } from '@shop/contracts';
import { InventoryValidationError, ProductNotFoundError } from '../errors';
import type { InventoryDependencies } from '../ports';
import {
  ListProductsQuerySchema,
  type ProductPage,
  type StoredProduct,
  toProduct,
} from '../product';

/**
 * One product with its current stock and version (see `toProduct` for the API view).
 * @throws ProductNotFoundError
 */
export async function getProduct(
  deps: Pick<InventoryDependencies, 'products'>,
  productId: string,
): Promise<StoredProduct> {
  const product = await deps.products.get(productId);
  if (!product) throw new ProductNotFoundError(productId);
  return product;
}

/** The catalog, one page at a time. @throws InventoryValidationError for a bad limit or cursor */
export async function listProducts(
  deps: Pick<InventoryDependencies, 'products'>,
  query: Record<string, string | undefined>,
): Promise<ProductPage> {
  const parsed = ListProductsQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new InventoryValidationError(toIssues(parsed.error, { root: 'query' }));
  }
  const { limit, cursor } = parsed.data;
  const page = await deps.products.list({ limit, ...(cursor ? { cursor } : {}) });
  return {
    items: page.products.map(toProduct),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/** Shows a new thumbnail on the product whose image it was made from, if any. */
export async function recordThumbnail(
  deps: Pick<InventoryDependencies, 'products'>,
  event: ShopEvent<'ThumbnailCreated'>,
): Promise<string | undefined> {
  const { sourceKey, thumbnailKey, width, height } = event.data;
  return deps.products.attachThumbnail(sourceKey, { key: thumbnailKey, width, height });
}
