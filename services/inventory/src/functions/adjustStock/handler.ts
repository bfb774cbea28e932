import { adjustStock } from '@shop/inventory-domain';
import { httpHandler } from '@shop/lambda-http';
import { logger, MetricUnit, metrics } from '@shop/observability';
import { createStockDependencies } from '../../dependencies';
import { expectedVersion } from '../../etag';
import { mapInventoryError } from '../../mapInventoryError';
import { productResponse } from '../../productResponse';

const deps = createStockDependencies();

/** POST /products/{id}/stock-adjustments with If-Match (administrators) */
export const handler = httpHandler(
  async ({ pathParameters, headers, body, correlationId }) => {
    const { product, publishError } = await adjustStock(deps, {
      productId: pathParameters.id ?? '',
      expectedVersion: expectedVersion(headers['if-match']),
      body,
      correlationId,
    });
    if (publishError !== undefined) {
      // Stored but not announced: analytics misses this change until the next one for the product.
      logger.error('stock adjusted, but InventoryUpdated was not published', {
        productId: product.productId,
        version: product.version,
        error: publishError as Error,
      });
      metrics.addMetric('InventoryUpdatedUnpublished', MetricUnit.Count, 1);
    }
    return productResponse(200, product);
  },
  { access: 'admin', mapError: mapInventoryError },
);
