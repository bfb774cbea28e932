import { buildEvent, deterministicEventId, type ShopEvent } from '@shop/contracts';
import type {
  InventoryDependencies,
  ReservationDecision,
  ReservationFailure,
  StockChange,
  StockLine,
} from '../ports';
import { isPriceInEffectAt } from '../pricing';

type OrderCreated = ShopEvent<'OrderCreated'>;

/**
 * Reserves every line of a new order, or none.
 *
 * Input: OrderCreated. Output: the decision; InventoryReserved + InventoryUpdated, or
 * InventoryReservationFailed, are published.
 * 1. If inventory already decided for this order (a redelivery), publish that decision again.
 * 2. Check every line: the product exists and its unit price is the one in effect when the order
 *    was placed (the event's occurredAt), so a price change made while the order travelled does
 *    not cancel it; any other price is refused.
 * 3. Hold each line with a conditional write; on the first line short of stock, give back what
 *    the order already holds. There are no transactions: holds are per product and per order,
 *    so repeating a step after a crash changes nothing.
 * 4. Store the decision (the first stored wins), align the holds with it, publish its events.
 */
export async function reserveStock(
  deps: InventoryDependencies,
  event: OrderCreated,
): Promise<ReservationDecision> {
  const { orderId } = event.data;
  const existing = await deps.decisions.get(orderId);
  if (existing) {
    await publishDecision(deps, existing, event);
    return existing;
  }

  const decision = await decide(deps, event);
  const stored = await deps.decisions.decide(decision);
  if (stored !== decision) await alignHolds(deps, stored, decision);
  await publishDecision(deps, stored, event);
  return stored;
}

async function decide(
  deps: InventoryDependencies,
  event: OrderCreated,
): Promise<ReservationDecision> {
  const { orderId, lines } = event.data;
  const placedAt = new Date(event.occurredAt);
  const failures: ReservationFailure[] = [];
  for (const line of lines) {
    const product = await deps.products.get(line.productId);
    if (!product) {
      failures.push({ productId: line.productId, reason: 'UNKNOWN_PRODUCT' });
    } else if (!isPriceInEffectAt(product, line.unitPrice, placedAt)) {
      failures.push({
        productId: line.productId,
        reason: 'PRICE_MISMATCH',
        quoted: line.unitPrice,
        current: product.price,
      });
    }
  }
  if (failures.length > 0) return { orderId, status: 'FAILED', failures };

  const held: StockLine[] = [];
  const changes: StockChange[] = [];
  for (const line of lines) {
    const result = await deps.products.hold(line.productId, orderId, line.quantity);
    if (result.outcome === 'HELD' || result.outcome === 'ALREADY_HELD') {
      held.push({ productId: line.productId, quantity: line.quantity });
      changes.push({ productId: line.productId, delta: -line.quantity, stock: result.stock });
      continue;
    }
    await releaseAll(deps, orderId, held);
    const failure: ReservationFailure =
      result.outcome === 'UNKNOWN_PRODUCT'
        ? { productId: line.productId, reason: 'UNKNOWN_PRODUCT' }
        : {
            productId: line.productId,
            reason: 'OUT_OF_STOCK',
            requested: line.quantity,
            available: result.available,
          };
    return { orderId, status: 'FAILED', failures: [failure] };
  }
  return { orderId, status: 'RESERVED', lines: held, changes };
}

/**
 * Another delivery of the same OrderCreated decided first: make the holds match its decision.
 * Releasing what a failed decision does not hold, and holding again what a reserved one does,
 * are both no-ops when the holds are already right.
 */
async function alignHolds(
  deps: InventoryDependencies,
  stored: ReservationDecision,
  mine: ReservationDecision,
) {
  if (stored.status === 'RESERVED') {
    for (const line of stored.lines)
      await deps.products.hold(line.productId, stored.orderId, line.quantity);
  } else if (mine.status === 'RESERVED') {
    await releaseAll(deps, mine.orderId, mine.lines);
  }
}

async function releaseAll(deps: InventoryDependencies, orderId: string, lines: StockLine[]) {
  for (const line of lines) await deps.products.release(line.productId, orderId);
}

async function publishDecision(
  deps: InventoryDependencies,
  decision: ReservationDecision,
  cause: OrderCreated,
) {
  const options = (type: string, ...parts: string[]) => ({
    correlationId: cause.correlationId,
    eventId: deterministicEventId(type, decision.orderId, ...parts),
  });
  if (decision.status === 'FAILED') {
    await deps.events.publish(
      buildEvent(
        'InventoryReservationFailed',
        { orderId: decision.orderId, failures: decision.failures },
        options('InventoryReservationFailed'),
      ),
    );
    return;
  }
  if (decision.status === 'CANCELLED_FIRST') return;
  // RESERVED, or already RELEASED/COMMITTED: the reservation happened, so its facts stand.
  await deps.events.publish(
    buildEvent(
      'InventoryReserved',
      { orderId: decision.orderId, lines: decision.lines },
      options('InventoryReserved'),
    ),
  );
  await deps.events.publish(
    buildEvent(
      'InventoryUpdated',
      { cause: 'RESERVED', orderId: decision.orderId, changes: decision.changes },
      options('InventoryUpdated', 'RESERVED'),
    ),
  );
}
