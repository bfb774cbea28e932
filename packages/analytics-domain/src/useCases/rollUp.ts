import type { AnalyticsDependencies } from '../ports';
import type { AnalyticsSummary } from '../schemas';
import { summarize } from '../summary';

export interface RollUpResult {
  summary: AnalyticsSummary;
  /** False when a newer summary was already stored (an overlapping or repeated run). */
  stored: boolean;
}

/**
 * Reads every fact, computes the summary as of `now` and stores it as the latest.
 *
 * @example
 * ```ts
 * const { summary } = await rollUp(deps, new Date());
 * ```
 */
export async function rollUp(deps: AnalyticsDependencies, now: Date): Promise<RollUpResult> {
  const summary = summarize(await deps.facts.listAll(), now);
  const stored = await deps.summaries.saveIfNewer(summary);
  return { summary, stored };
}
