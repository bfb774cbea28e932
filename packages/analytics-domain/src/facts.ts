import { type Money, sumMoney } from '@shop/contracts';
import type { AnalyticsEvent } from './events';
import type { OrderCancellationReason, StockChangeCause } from './schemas';

/** A product's stock level after one InventoryUpdated, and the change that led to it. */
export interface StockChangeFact {
  kind: 'STOCK_CHANGE';
  /** The InventoryUpdated it came from; with productId, what makes the fact unique. */
  eventId: string;
  productId: string;
  /** Units in stock after the change. */
  stock: number;
  delta: number;
  cause: StockChangeCause;
  orderId?: string;
  /** What an administrator wrote about a restock or correction. */
  note?: string;
  /** When the change happened (the event's occurredAt), as UTC ISO 8601 so strings sort by time. */
  at: string;
}

/** What one confirmed order sold of one product. */
export interface SaleFact {
  kind: 'SALE';
  orderId: string;
  productId: string;
  quantity: number;
  /** quantity × unit price, in cents. */
  revenue: Money;
  at: string;
}

/** An order that was cancelled, and why. */
export interface CancellationFact {
  kind: 'CANCELLATION';
  orderId: string;
  reason: OrderCancellationReason;
  total: Money;
  at: string;
}

/** Everything analytics stores; the summary is computed from these alone. */
export type AnalyticsFact = StockChangeFact | SaleFact | CancellationFact;

/**
 * The identity of a fact: two facts with the same key are the same fact, and a store keeps the
 * first. Redelivered events (same eventId) and republished order outcomes (same orderId, maybe a
 * new eventId) therefore add nothing.
 *
 * @example
 * ```ts
 * factKey({ kind: 'SALE', orderId: 'o-1', productId: 'p-1', ... }); // 'SALE|o-1|p-1'
 * ```
 */
export function factKey(fact: AnalyticsFact): string {
  switch (fact.kind) {
    case 'STOCK_CHANGE':
      return `STOCK_CHANGE|${fact.eventId}|${fact.productId}`;
    case 'SALE':
      return `SALE|${fact.orderId}|${fact.productId}`;
    case 'CANCELLATION':
      return `CANCELLATION|${fact.orderId}`;
  }
}

/**
 * The facts an event establishes: a stock change per product of an InventoryUpdated, a sale per
 * product of an OrderConfirmed, a cancellation per OrderCancelled. A product listed twice in one
 * event (the schemas allow it) becomes one fact that adds both up, so no line is lost to the key.
 *
 * @throws RangeError when a product's lines in one order mix currencies or overflow a safe integer.
 * @example
 * ```ts
 * factsOf(buildEvent('OrderConfirmed', data, { correlationId })); // one SaleFact per product
 * ```
 */
export function factsOf(event: AnalyticsEvent): AnalyticsFact[] {
  const at = new Date(event.occurredAt).toISOString();
  switch (event.eventType) {
    case 'InventoryUpdated': {
      const { cause, orderId, note, changes } = event.data;
      const byProduct = new Map<string, StockChangeFact>();
      for (const { productId, delta, stock } of changes) {
        const earlier = byProduct.get(productId);
        byProduct.set(productId, {
          kind: 'STOCK_CHANGE',
          eventId: event.eventId,
          productId,
          // Changes are listed in the order they happened: the later one holds the level.
          stock,
          delta: (earlier?.delta ?? 0) + delta,
          cause,
          ...(orderId === undefined ? {} : { orderId }),
          ...(note === undefined ? {} : { note }),
          at,
        });
      }
      return [...byProduct.values()];
    }
    case 'OrderConfirmed': {
      const { orderId, lines } = event.data;
      const byProduct = new Map<string, SaleFact>();
      for (const { productId, quantity, unitPrice } of lines) {
        const lineRevenue = { amount: quantity * unitPrice.amount, currency: unitPrice.currency };
        const earlier = byProduct.get(productId);
        byProduct.set(productId, {
          kind: 'SALE',
          orderId,
          productId,
          quantity: (earlier?.quantity ?? 0) + quantity,
          revenue: sumMoney(
            earlier ? [earlier.revenue, lineRevenue] : [lineRevenue],
            earlier?.revenue.currency ?? unitPrice.currency,
          ),
          at,
        });
      }
      return [...byProduct.values()];
    }
    case 'OrderCancelled': {
      const { orderId, reason, total } = event.data;
      return [{ kind: 'CANCELLATION', orderId, reason, total, at }];
    }
  }
}
