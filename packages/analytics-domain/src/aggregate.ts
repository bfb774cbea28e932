import { type Money, OrderCancellationReasonSchema } from '@shop/contracts';
import type { AnalyticsFact, StockChangeFact } from './facts';
import {
  type AnalyticsSummary,
  type OrderCancellationReason,
  type ProductSummary,
  STOCK_HISTORY_LENGTH,
  type StockPoint,
} from './schemas';

/** One product's running totals; what its summary is computed from. */
export interface ProductTotals {
  productId: string;
  unitsSold: number;
  /** Cents per currency, sorted by currency code. */
  revenue: Money[];
  unitsRestocked: number;
  unitsCorrected: number;
  /**
   * The latest {@link STOCK_HISTORY_LENGTH} stock changes, oldest first. Whole facts, not stock
   * points: their eventIds order changes at the same instant, as a full recount would.
   */
  recentStockChanges: StockChangeFact[];
}

/**
 * The running totals of every fact folded so far: enough to fold more facts in, and to give the
 * summary, without reading the facts again. Its size grows with products, not with facts.
 */
export interface AnalyticsAggregate {
  /** Sorted by productId. */
  products: ProductTotals[];
  orders: {
    confirmed: number;
    cancelled: number;
    cancelledByReason: Record<OrderCancellationReason, number>;
  };
  /** Cents per currency, sorted by currency code. */
  revenue: Money[];
}

/** What {@link foldFacts} returns: the new totals, and the orders it counted as confirmed. */
export interface FoldResult {
  aggregate: AnalyticsAggregate;
  /** Orders counted as confirmed by this fold; they must not be counted again. */
  newlyConfirmedOrderIds: string[];
}

/** Oldest first; changes at the same instant in eventId order, so every run agrees. */
const byTime = (a: StockChangeFact, b: StockChangeFact) =>
  a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId);

/**
 * The aggregate of no facts.
 *
 * @example
 * ```ts
 * const { aggregate } = foldFacts(emptyAggregate(), facts, new Set());
 * ```
 */
export function emptyAggregate(): AnalyticsAggregate {
  return {
    products: [],
    orders: {
      confirmed: 0,
      cancelled: 0,
      cancelledByReason: Object.fromEntries(
        OrderCancellationReasonSchema.options.map((reason) => [reason, 0]),
      ) as Record<OrderCancellationReason, number>,
    },
    revenue: [],
  };
}

/**
 * Adds facts to an aggregate, with no I/O; the aggregate passed in is left as it was.
 * Each fact must be new to the aggregate (the caller guarantees it: facts have unique keys, and
 * each is folded once). Totals are sums, and the stock history keeps the latest changes by time,
 * so folding facts in any order and in any batches gives what one full recount would, late and
 * out-of-order facts included. A SALE counts its order as confirmed unless the order is in
 * `confirmedOrderIds` or was counted earlier in the same fold.
 *
 * @example
 * ```ts
 * const { aggregate, newlyConfirmedOrderIds } = foldFacts(stored, pending, alreadyCounted);
 * ```
 */
export function foldFacts(
  aggregate: AnalyticsAggregate,
  facts: readonly AnalyticsFact[],
  confirmedOrderIds: ReadonlySet<string>,
): FoldResult {
  const next = structuredClone(aggregate);
  const products = new Map(next.products.map((totals) => [totals.productId, totals]));
  const productTotals = (productId: string) => {
    let totals = products.get(productId);
    if (!totals) {
      totals = {
        productId,
        unitsSold: 0,
        revenue: [],
        unitsRestocked: 0,
        unitsCorrected: 0,
        recentStockChanges: [],
      };
      products.set(productId, totals);
    }
    return totals;
  };
  const counted = new Set<string>();
  const changedHistories = new Set<ProductTotals>();

  for (const fact of facts) {
    switch (fact.kind) {
      case 'STOCK_CHANGE': {
        const totals = productTotals(fact.productId);
        totals.recentStockChanges.push(structuredClone(fact));
        changedHistories.add(totals);
        // Counted over every change, not only the last few the history keeps.
        if (fact.cause === 'RESTOCKED') totals.unitsRestocked += fact.delta;
        if (fact.cause === 'CORRECTED') totals.unitsCorrected += fact.delta;
        break;
      }
      case 'SALE': {
        const totals = productTotals(fact.productId);
        totals.unitsSold += fact.quantity;
        totals.revenue = addMoney(totals.revenue, fact.revenue);
        next.revenue = addMoney(next.revenue, fact.revenue);
        // An order is confirmed once its first line is sold; its other lines are the same order.
        if (!confirmedOrderIds.has(fact.orderId) && !counted.has(fact.orderId)) {
          counted.add(fact.orderId);
          next.orders.confirmed += 1;
        }
        break;
      }
      case 'CANCELLATION':
        next.orders.cancelled += 1;
        next.orders.cancelledByReason[fact.reason] =
          (next.orders.cancelledByReason[fact.reason] ?? 0) + 1;
        break;
    }
  }

  // The latest N of (latest N so far ∪ new changes) are the latest N of all changes.
  for (const totals of changedHistories) {
    totals.recentStockChanges = totals.recentStockChanges.sort(byTime).slice(-STOCK_HISTORY_LENGTH);
  }
  next.products = [...products.values()].sort((a, b) => a.productId.localeCompare(b.productId));
  return { aggregate: next, newlyConfirmedOrderIds: [...counted] };
}

/**
 * The summary an aggregate stands for, as of `generatedAt`.
 *
 * @throws RangeError when a revenue total overflows a safe integer.
 * @example
 * ```ts
 * const summary = summaryOf(aggregate, new Date());
 * ```
 */
export function summaryOf(aggregate: AnalyticsAggregate, generatedAt: Date): AnalyticsSummary {
  return {
    generatedAt: generatedAt.toISOString(),
    products: aggregate.products.map(productSummary),
    orders: {
      confirmed: aggregate.orders.confirmed,
      cancelled: aggregate.orders.cancelled,
      cancelledByReason: { ...aggregate.orders.cancelledByReason },
    },
    revenue: checkedMoney(aggregate.revenue),
  };
}

function productSummary(totals: ProductTotals): ProductSummary {
  return {
    productId: totals.productId,
    unitsSold: totals.unitsSold,
    revenue: checkedMoney(totals.revenue),
    unitsRestocked: totals.unitsRestocked,
    unitsCorrected: totals.unitsCorrected,
    currentStock: totals.recentStockChanges.at(-1)?.stock ?? null,
    stockHistory: totals.recentStockChanges.map(toStockPoint),
  };
}

/** Adds an amount to a per-currency list, keeping it sorted by currency code. */
function addMoney(amounts: readonly Money[], money: Money): Money[] {
  const others = amounts.filter(({ currency }) => currency !== money.currency);
  const earlier = amounts.find(({ currency }) => currency === money.currency)?.amount ?? 0;
  return [...others, { amount: earlier + money.amount, currency: money.currency }].sort((a, b) =>
    a.currency.localeCompare(b.currency),
  );
}

function checkedMoney(amounts: readonly Money[]): Money[] {
  return amounts.map(({ amount, currency }) => {
    if (!Number.isSafeInteger(amount)) {
      throw new RangeError(`revenue in ${currency} overflows a safe integer`);
    }
    return { amount, currency };
  });
}

function toStockPoint(fact: StockChangeFact): StockPoint {
  return {
    at: fact.at,
    stock: fact.stock,
    delta: fact.delta,
    cause: fact.cause,
    ...(fact.orderId === undefined ? {} : { orderId: fact.orderId }),
    ...(fact.note === undefined ? {} : { note: fact.note }),
  };
}
