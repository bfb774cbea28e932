import { buildEvent, deterministicEventId, type ShopEvent } from '@shop/contracts';
import type { InventoryDependencies, ReservationDecision, StockChange } from '../ports';

/**
 * Gives back the stock of a cancelled order.
 *
 * Input: OrderCancelled. Output: the stored decision; InventoryUpdated (RELEASED) is published
 * when stock came back.
 * 1. No decision yet (the cancellation overtook OrderCreated): record that, so a late
 *    OrderCreated takes nothing.
 * 2. RESERVED: release each line's hold (a no-op for lines already released), then record
 *    RELEASED with the new stock levels.
 * 3. RELEASED (a redelivery): publish the same InventoryUpdated again; consumers drop the copy.
 */
export async function releaseReservation(
  deps: InventoryDependencies,
  event: ShopEvent<'OrderCancelled'>,
): Promise<ReservationDecision> {
  const { orderId } = event.data;
  let decision =
    (await deps.decisions.get(orderId)) ??
    (await deps.decisions.decide({ orderId, status: 'CANCELLED_FIRST' }));
  if (decision.status === 'RESERVED') {
    const changes: StockChange[] = [];
    for (const line of decision.lines) {
      const released = await deps.products.release(line.productId, orderId);
      const stock = released?.stock ?? (await deps.products.get(line.productId))?.stock ?? 0;
      changes.push({ productId: line.productId, delta: line.quantity, stock });
    }
    decision = await deps.decisions.transition(orderId, {
      orderId,
      status: 'RELEASED',
      lines: decision.lines,
      changes,
    });
  }
  if (decision.status === 'RELEASED') {
    await deps.events.publish(
      buildEvent(
        'InventoryUpdated',
        { cause: 'RELEASED', orderId, changes: decision.changes },
        {
          correlationId: event.correlationId,
          eventId: deterministicEventId('InventoryUpdated', orderId, 'RELEASED'),
        },
      ),
    );
  }
  return decision;
}

/**
 * Makes a confirmed order's reservation final: its holds are forgotten, the stock stays taken.
 * Repeating it changes nothing.
 */
export async function commitReservation(
  deps: InventoryDependencies,
  event: ShopEvent<'OrderConfirmed'>,
): Promise<ReservationDecision | undefined> {
  const decision = await deps.decisions.get(event.data.orderId);
  if (decision?.status !== 'RESERVED') return decision;
  for (const line of decision.lines) await deps.products.commit(line.productId, decision.orderId);
  return deps.decisions.transition(decision.orderId, { ...decision, status: 'COMMITTED' });
}
