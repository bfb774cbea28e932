import type { ShopEvent } from '@shop/contracts';
import { boundedCancellationReason, reservationFailureReason } from '../cancellationReason';
import { OrderNotFoundError, OrderVersionConflictError } from '../errors';
import { applyOutcome, type Order, type OrderOutcomeReport, type OutcomeApplied } from '../order';
import type { OrderDependencies } from '../ports';
import { orderDecisionEvent } from './orderDecisionEvent';

type OutcomeEvent = ShopEvent<
  'InventoryReserved' | 'InventoryReservationFailed' | 'PaymentProcessed' | 'PaymentFailed'
>;

const MAX_ATTEMPTS = 5;

/** What an inventory or payment event reports about the order, in the order's terms. */
export function reportOf(event: OutcomeEvent): OrderOutcomeReport {
  switch (event.eventType) {
    case 'InventoryReserved':
      return { kind: 'inventory', ok: true };
    case 'InventoryReservationFailed':
      return {
        kind: 'inventory',
        ok: false,
        detail: reservationFailureReason(event.data.failures),
        // Inventory reports one failure per line it could not reserve.
        unavailableItemCount: event.data.failures.length,
      };
    case 'PaymentProcessed':
      return { kind: 'payment', ok: true, paymentId: event.data.paymentId };
    case 'PaymentFailed':
      return { kind: 'payment', ok: false, detail: boundedCancellationReason(event.data.detail) };
  }
}

/**
 * Records what inventory or payment reported and, once the order is decided, publishes
 * OrderConfirmed or OrderCancelled.
 *
 * Input: one of InventoryReserved, InventoryReservationFailed, PaymentProcessed, PaymentFailed.
 * Output: the order as stored, and `decided` when this report is what confirmed or cancelled it
 * (set once per order however often reports arrive, so callers can count decisions).
 * 1. Apply the report to the order (any arrival order; a repeated report changes nothing).
 * 2. Build the decision event before saving, so an order is never stored decided with a decision
 *    that cannot be published (a build error fails the delivery, which is retried, then
 *    dead-lettered, with the order untouched).
 * 3. Save it if it is still the version that was read; otherwise read again (up to 5 times).
 * 4. If the order is decided and its decision is not known to be on the bus, publish it and
 *    record that. A crash in between is repaired by the next delivery or by the sweeper.
 */
export async function recordOutcome(
  deps: OrderDependencies,
  event: OutcomeEvent,
): Promise<OutcomeApplied> {
  const report = reportOf(event);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const order = await deps.orders.get(event.data.orderId);
    if (!order) throw new OrderNotFoundError(event.data.orderId);
    const { order: next, decided } = applyOutcome(order, report, deps.clock.now(), event.eventType);
    if (next !== order) {
      // Throws for a decision that could not be published; then nothing is saved.
      orderDecisionEvent(next);
      try {
        await deps.orders.save({ ...next, version: order.version + 1 }, order.version);
      } catch (error) {
        if (error instanceof OrderVersionConflictError) continue;
        throw error;
      }
    }
    const saved = next === order ? order : { ...next, version: order.version + 1 };
    await publishDecision(deps, saved);
    return decided ? { order: saved, decided } : { order: saved };
  }
  throw new OrderVersionConflictError(event.data.orderId);
}

/** Publishes a decided order's decision unless it is known to be on the bus already. */
export async function publishDecision(
  deps: Pick<OrderDependencies, 'orders' | 'events'>,
  order: Order,
): Promise<boolean> {
  const decision = orderDecisionEvent(order);
  if (!decision || order.decisionPublished) return false;
  await deps.events.publish(decision);
  await deps.orders.markDecisionPublished(order.orderId);
  return true;
}
