import { buildEvent, deterministicEventId, toIssues } from '@shop/contracts';
import { InsufficientStockError, InventoryValidationError } from '../errors';
import type { InventoryDependencies } from '../ports';
import type { StoredProduct } from '../product';
import { type StockAdjustmentReason, StockAdjustmentRequestSchema } from '../requests';
import { writtenOrThrow } from './writtenOrThrow';

/** What `adjustStock` did: the stored product, and whether the bus heard of it. */
export interface AdjustStockResult {
  product: StoredProduct;
  /** False when InventoryUpdated could not be published; the adjustment itself is stored. */
  published: boolean;
  /** Why publishing failed. */
  publishError?: unknown;
}

/** The InventoryUpdated cause of each reason an administrator can give. */
const CAUSE_OF = { RESTOCK: 'RESTOCKED', CORRECTION: 'CORRECTED' } as const satisfies Record<
  StockAdjustmentReason,
  string
>;

/**
 * Restocks or corrects a product's stock on behalf of an administrator who read it at
 * `expectedVersion`.
 *
 * Input: the product id, the version the administrator read, the untrusted body, the flow's
 * correlation id. Output: the product as stored, and whether InventoryUpdated reached the bus.
 * 1. Validate the body: a non-zero whole `delta`, positive for a RESTOCK; a `reason`; an
 *    optional `note`.
 * 2. Add `delta` to the stock in one conditional write: refused when the product moved past
 *    `expectedVersion` or the stock would go below zero. The delta lands on the stock as stored
 *    at that instant, so what reservations took or gave back since the administrator read the
 *    product is kept, never overwritten.
 * 3. Publish InventoryUpdated (RESTOCKED or CORRECTED, with the note). Its id is derived from the
 *    product and its new version, so a republish of the same adjustment is dropped by consumers.
 *    A failed publish does not fail the request: the stock has changed, and answering an error
 *    would invite the administrator to apply the adjustment twice.
 *
 * @throws InventoryValidationError
 * @throws ProductNotFoundError
 * @throws ProductVersionMismatchError
 * @throws InsufficientStockError
 * @example
 * ```ts
 * const { product } = await adjustStock(deps, { productId: 'prod-espresso-beans',
 *   expectedVersion: 3, body: { delta: 24, reason: 'RESTOCK' }, correlationId });
 * ```
 */
export async function adjustStock(
  deps: Pick<InventoryDependencies, 'products' | 'events' | 'clock'>,
  input: { productId: string; expectedVersion: number; body: unknown; correlationId: string },
): Promise<AdjustStockResult> {
  const parsed = StockAdjustmentRequestSchema.safeParse(input.body);
  if (!parsed.success) throw new InventoryValidationError(toIssues(parsed.error, { root: 'body' }));
  const { delta, reason, note } = parsed.data;
  const { productId, expectedVersion } = input;

  const result = await deps.products.adjustStock(productId, expectedVersion, delta);
  if (result.outcome === 'INSUFFICIENT') {
    throw new InsufficientStockError(productId, result.stock, delta);
  }
  const product = writtenOrThrow(result, productId, expectedVersion);

  const event = buildEvent(
    'InventoryUpdated',
    {
      cause: CAUSE_OF[reason],
      ...(note === undefined ? {} : { note }),
      changes: [{ productId, delta, stock: product.stock }],
    },
    {
      correlationId: input.correlationId,
      eventId: deterministicEventId('InventoryUpdated', productId, `v${product.version}`),
      occurredAt: deps.clock.now(),
    },
  );
  try {
    await deps.events.publish(event);
  } catch (publishError) {
    return { product, published: false, publishError };
  }
  return { product, published: true };
}
