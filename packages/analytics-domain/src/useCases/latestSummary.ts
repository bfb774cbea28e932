import type { AnalyticsDependencies } from '../ports';
import type { AnalyticsSummary } from '../schemas';

/**
 * The summary of the latest roll-up; undefined until one has run.
 *
 * @example
 * ```ts
 * const summary = await latestSummary(deps);
 * if (!summary) throw notFound('no roll-up has run yet');
 * ```
 */
export async function latestSummary(
  deps: Pick<AnalyticsDependencies, 'summaries'>,
): Promise<AnalyticsSummary | undefined> {
  return deps.summaries.latest();
}
