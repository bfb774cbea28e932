import type { AnalyticsDependencies } from '@shop/analytics-domain';
import { createDocumentClient, requireEnv } from '@shop/aws-adapters';
import { DynamoDbAnalyticsStore } from './adapters/DynamoDbAnalyticsStore';

/**
 * Wires the analytics use cases to the facts table, which holds the roll-up's checkpoint too; called once per
 * cold start.
 *
 * @example
 * ```ts
 * const deps = createAnalyticsDependencies();
 * await rollUp(deps, new Date());
 * ```
 */
export function createAnalyticsDependencies(
  env: NodeJS.ProcessEnv = process.env,
): AnalyticsDependencies {
  const store = new DynamoDbAnalyticsStore(createDocumentClient(), requireEnv('FACTS_TABLE', env));
  return { facts: store, summaries: store, rollUps: store };
}
