import { type Money, OrderCancellationReasonSchema } from '@shop/contracts';
import { type AnalyticsFact, factKey, type StockChangeFact } from './facts';
import {
  type AnalyticsSummary,
  type OrderCancellationReason,
  type ProductSummary,
  STOCK_HISTORY_LENGTH,
  type StockPoint,
} from './schemas';

/** Amounts in cents per currency, added up with a check that they stay exact. */
class RevenueTally {
  readonly #amounts = new Map<string, number>();

  add(money: Money): void {
    this.#amounts.set(money.currency, (this.#amounts.get(money.currency) ?? 0) + money.amount);
  }

  /** One Money per currency, sorted by currency code. */
  toMoney(): Money[] {
    return [...this.#amounts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, amount]) => {
        if (!Number.isSafeInteger(amount)) {
          throw new RangeError(`revenue in ${currency} overflows a safe integer`);
        }
        return { amount, currency };
      });
  }
}

interface ProductTally {
  unitsSold: number;
  revenue: RevenueTally;
  unitsRestocked: number;
  unitsCorrected: number;
  stockChanges: StockChangeFact[];
}

/** Oldest first; changes at the same instant in eventId order, so every run agrees. */
const byTime = (a: StockChangeFact, b: StockChangeFact) =>
  a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId);

/**
 * Computes the summary from facts, with no I/O: per product the units sold, revenue per currency,
 * units restocked and corrected, current stock (the level of the latest change by `at`, whatever
 * order the events arrived in) and the last {@link STOCK_HISTORY_LENGTH} changes; order outcomes;
 * revenue per currency.
 * Facts sharing a key count once (the first), so a repeated fact changes nothing. The result is
 * sorted throughout, so the same facts in any order give the same summary.
 *
 * @throws RangeError when a total overflows a safe integer.
 * @example
 * ```ts
 * const summary = summarize(await store.listAll(), new Date());
 * summary.products[0]?.unitsSold;
 * ```
 */
export function summarize(facts: readonly AnalyticsFact[], now: Date): AnalyticsSummary {
  const unique = new Map<string, AnalyticsFact>();
  for (const fact of facts) {
    const key = factKey(fact);
    if (!unique.has(key)) unique.set(key, fact);
  }

  const products = new Map<string, ProductTally>();
  const productTally = (productId: string) => {
    let tally = products.get(productId);
    if (!tally) {
      tally = {
        unitsSold: 0,
        revenue: new RevenueTally(),
        unitsRestocked: 0,
        unitsCorrected: 0,
        stockChanges: [],
      };
      products.set(productId, tally);
    }
    return tally;
  };
  const confirmedOrderIds = new Set<string>();
  const cancelledByReason = Object.fromEntries(
    OrderCancellationReasonSchema.options.map((reason) => [reason, 0]),
  ) as Record<OrderCancellationReason, number>;
  let cancelled = 0;
  const revenue = new RevenueTally();

  for (const fact of unique.values()) {
    switch (fact.kind) {
      case 'STOCK_CHANGE': {
        const tally = productTally(fact.productId);
        tally.stockChanges.push(fact);
        // Counted over every change, not only the last few the history keeps.
        if (fact.cause === 'RESTOCKED') tally.unitsRestocked += fact.delta;
        if (fact.cause === 'CORRECTED') tally.unitsCorrected += fact.delta;
        break;
      }
      case 'SALE': {
        const tally = productTally(fact.productId);
        tally.unitsSold += fact.quantity;
        tally.revenue.add(fact.revenue);
        revenue.add(fact.revenue);
        // An order is confirmed once its first line is sold; its other lines are the same order.
        confirmedOrderIds.add(fact.orderId);
        break;
      }
      case 'CANCELLATION':
        cancelled += 1;
        cancelledByReason[fact.reason] = (cancelledByReason[fact.reason] ?? 0) + 1;
        break;
    }
  }

  return {
    generatedAt: now.toISOString(),
    products: [...products]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([productId, tally]) => productSummary(productId, tally)),
    orders: { confirmed: confirmedOrderIds.size, cancelled, cancelledByReason },
    revenue: revenue.toMoney(),
  };
}

function productSummary(productId: string, tally: ProductTally): ProductSummary {
  const history = [...tally.stockChanges].sort(byTime).slice(-STOCK_HISTORY_LENGTH);
  return {
    productId,
    unitsSold: tally.unitsSold,
    revenue: tally.revenue.toMoney(),
    unitsRestocked: tally.unitsRestocked,
    unitsCorrected: tally.unitsCorrected,
    currentStock: history.at(-1)?.stock ?? null,
    stockHistory: history.map(toStockPoint),
  };
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
