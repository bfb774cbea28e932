import type { AnalyticsFact } from './facts';
import type { AnalyticsSummary } from './schemas';

/** Port: where facts live. Implemented over DynamoDB in the analytics service. */
export interface FactStore {
  /**
   * Stores a fact unless one with the same key (`factKey`) is stored already (the first wins).
   * @returns true when the fact was new.
   */
  putIfAbsent(fact: AnalyticsFact): Promise<boolean>;
  /** Every stored fact, in no particular order. */
  listAll(): Promise<AnalyticsFact[]>;
}

/** Port: where the latest summary lives. */
export interface SummaryStore {
  /**
   * Stores the summary unless a newer one (by generatedAt) is stored: two roll-ups that overlap,
   * or a schedule that fires twice, must not let the older result win.
   * @returns true when this summary is now the latest.
   */
  saveIfNewer(summary: AnalyticsSummary): Promise<boolean>;
  /** The latest stored summary; undefined before the first roll-up. */
  latest(): Promise<AnalyticsSummary | undefined>;
}

export interface AnalyticsDependencies {
  facts: FactStore;
  summaries: SummaryStore;
}
