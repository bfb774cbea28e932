import { type AnalyticsAggregate, emptyAggregate, foldFacts, summaryOf } from '../aggregate';
import type { AnalyticsDependencies, RollUpCheckpoint, RollUpStore } from '../ports';
import type { AnalyticsSummary } from '../schemas';

export interface RollUpOptions {
  /** Pending facts folded per step; 100 is what one DynamoDB BatchGetItem confirms. */
  batchSize?: number;
  /** Steps per run, so a backlog is worked off over several runs within the function's timeout. */
  maxSteps?: number;
  /** Commits lost to overlapping roll-ups before this run gives way to them. */
  maxConflicts?: number;
}

export interface RollUpResult {
  /** The summary as of the last committed step; undefined when no step committed. */
  summary: AnalyticsSummary | undefined;
  /** False when overlapping roll-ups won every attempt; they did the work. */
  stored: boolean;
  /** Pending facts this run folded in. */
  folded: number;
  /** True when this run built the totals from every fact recorded before (the migration). */
  built: boolean;
}

/**
 * Folds the facts recorded since the last roll-up into the stored totals, so its work depends on
 * what happened since, not on history. Input: the time to stamp. Output: the summary `GET
 * /analytics/summary` now serves.
 * 1. Read the checkpoint; without one (the first run after deploying this, or after the item was
 *    deleted), build it once from every settled fact.
 * 2. Take a batch of pending facts and the orders already counted among their sales.
 * 3. Fold them in and commit, conditional on the version read; on a lost race, start again from 1.
 * 4. Repeat while batches come back full, up to `maxSteps`; one step always runs, so the summary's
 *    generatedAt moves even when nothing happened.
 *
 * @throws RangeError when a revenue total overflows; nothing is committed.
 * @example
 * ```ts
 * const { summary, folded } = await rollUp(deps, new Date());
 * ```
 */
export async function rollUp(
  deps: Pick<AnalyticsDependencies, 'rollUps'>,
  now: Date,
  { batchSize = 100, maxSteps = 50, maxConflicts = 3 }: RollUpOptions = {},
): Promise<RollUpResult> {
  const store = deps.rollUps;
  let summary: AnalyticsSummary | undefined;
  let folded = 0;
  let built = false;
  let conflicts = 0;
  for (let step = 0; step < maxSteps && conflicts <= maxConflicts; ) {
    let checkpoint = await store.checkpoint();
    if (!checkpoint) {
      checkpoint = await buildFromSettledFacts(store, now);
      if (!checkpoint) {
        conflicts += 1;
        continue;
      }
      built = true;
    }

    const pending = await store.pendingFacts(batchSize);
    const orderIds = [...new Set(pending.flatMap((f) => (f.kind === 'SALE' ? [f.orderId] : [])))];
    const counted: ReadonlySet<string> =
      orderIds.length > 0 ? await store.confirmedOrdersAmong(orderIds) : new Set<string>();
    const fold = foldFacts(checkpoint.aggregate, pending, counted);
    const next = summaryOf(fold.aggregate, now); // throws on overflow, before anything is written
    const committed = await store.commit({
      previousVersion: checkpoint.version,
      aggregate: fold.aggregate,
      generatedAt: now,
      folded: pending,
      confirmedOrderIds: fold.newlyConfirmedOrderIds,
    });
    if (!committed) {
      conflicts += 1;
      continue;
    }
    summary = next;
    folded += pending.length;
    step += 1;
    if (pending.length < batchSize) break;
  }
  return { summary, stored: summary !== undefined, folded, built };
}

/**
 * The first checkpoint: every fact recorded before pending marks existed, folded page by page.
 * Their orders are remembered as counted before the commit, so pending sales of the same orders
 * do not count them again. Undefined when another roll-up built it first.
 */
async function buildFromSettledFacts(
  store: RollUpStore,
  now: Date,
): Promise<RollUpCheckpoint | undefined> {
  let aggregate: AnalyticsAggregate = emptyAggregate();
  const confirmed = new Set<string>();
  for await (const page of store.settledFacts()) {
    const fold = foldFacts(aggregate, page, confirmed);
    aggregate = fold.aggregate;
    for (const orderId of fold.newlyConfirmedOrderIds) confirmed.add(orderId);
  }
  summaryOf(aggregate, now); // throws on overflow, before anything is written
  await store.rememberConfirmedOrders([...confirmed]);
  const committed = await store.commit({
    previousVersion: undefined,
    aggregate,
    generatedAt: now,
    folded: [],
    confirmedOrderIds: [],
  });
  return committed ? { version: 1, aggregate } : undefined;
}
