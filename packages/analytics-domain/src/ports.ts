import type { AnalyticsAggregate } from './aggregate';
import type { AnalyticsFact } from './facts';
import type { AnalyticsSummary } from './schemas';

/** Port: where facts live. Implemented over DynamoDB in the analytics service. */
export interface FactStore {
  /**
   * Stores a fact unless one with the same key (`factKey`) is stored already (the first wins).
   * A new fact is pending until a roll-up folds it in (see {@link RollUpStore}).
   * @returns true when the fact was new.
   */
  putIfAbsent(fact: AnalyticsFact): Promise<boolean>;
}

/** Port: where the latest summary lives. */
export interface SummaryStore {
  /** The latest stored summary; undefined before the first roll-up. */
  latest(): Promise<AnalyticsSummary | undefined>;
}

/** The roll-up's state: the totals of every fact folded so far, and its version. */
export interface RollUpCheckpoint {
  /** Starts at 1 and grows by one with every committed step. */
  version: number;
  aggregate: AnalyticsAggregate;
}

/** One step of the roll-up, committed only if the checkpoint is still `previousVersion`. */
export interface RollUpStep {
  /** The version the step was computed from; undefined for the first build. */
  previousVersion: number | undefined;
  aggregate: AnalyticsAggregate;
  generatedAt: Date;
  /** Pending facts now in the aggregate: they stop being pending. */
  folded: AnalyticsFact[];
  /** Orders the step counted as confirmed: `confirmedOrdersAmong` reports them from now on. */
  confirmedOrderIds: string[];
}

/**
 * Port: the incremental roll-up's storage. Each fact and each confirmed order must count exactly
 * once, with retries and overlapping roll-ups, so the store keeps these promises:
 * - `checkpoint` reads the latest checkpoint consistently and first finishes the bookkeeping of
 *   the step that wrote it, so that neither `pendingFacts` nor `confirmedOrdersAmong` can miss
 *   what that step did, however it ended;
 * - `commit` writes only if the checkpoint is still at `previousVersion` (the first build: none).
 */
export interface RollUpStore {
  checkpoint(): Promise<RollUpCheckpoint | undefined>;
  /**
   * Facts recorded before incremental roll-ups began (never pending), page by page: what the
   * first build after the migration folds, once.
   */
  settledFacts(): AsyncIterable<AnalyticsFact[]>;
  /** Up to `limit` pending facts, each confirmed pending by a consistent read. */
  pendingFacts(limit: number): Promise<AnalyticsFact[]>;
  /** Which of these orders an earlier step counted as confirmed (consistent). */
  confirmedOrdersAmong(orderIds: readonly string[]): Promise<Set<string>>;
  /** Records orders as counted outside a step: the first build's, too many for one write. */
  rememberConfirmedOrders(orderIds: readonly string[]): Promise<void>;
  /** @returns false when another roll-up committed first; nothing was written. */
  commit(step: RollUpStep): Promise<boolean>;
}

export interface AnalyticsDependencies {
  facts: FactStore;
  summaries: SummaryStore;
  rollUps: RollUpStore;
}
