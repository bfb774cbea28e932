import { emptyAggregate, foldFacts, summaryOf } from './aggregate';
import { type AnalyticsFact, factKey } from './facts';
import type { AnalyticsSummary } from './schemas';

/**
 * Computes the summary from facts, with no I/O: per product the units sold, revenue per currency,
 * units restocked and corrected, current stock (the level of the latest change by `at`, whatever
 * order the events arrived in) and the last `STOCK_HISTORY_LENGTH` changes; order outcomes;
 * revenue per currency. The same fold the incremental roll-up runs, over every fact at once.
 * Facts sharing a key count once (the first), so a repeated fact changes nothing. The result is
 * sorted throughout, so the same facts in any order give the same summary.
 *
 * @throws RangeError when a total overflows a safe integer.
 * @example
 * ```ts
 * const summary = summarize(facts, new Date());
 * summary.products[0]?.unitsSold;
 * ```
 */
export function summarize(facts: readonly AnalyticsFact[], now: Date): AnalyticsSummary {
  const unique = new Map<string, AnalyticsFact>();
  for (const fact of facts) {
    const key = factKey(fact);
    if (!unique.has(key)) unique.set(key, fact);
  }
  const { aggregate } = foldFacts(emptyAggregate(), [...unique.values()], new Set());
  return summaryOf(aggregate, now);
}
