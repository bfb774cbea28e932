import type { AnalyticsDependencies } from '@shop/analytics-domain';
import { createDocumentClient } from '@shop/aws-adapters';
import { DynamoDbAnalyticsStore } from './adapters/DynamoDbAnalyticsStore';

/** Reads a setting the function cannot run without, failing the cold start with a clear message. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value)
    throw new Error(`${name} is not set; it comes from services/analytics/serverless.yml`);
  return value;
}

/**
 * Wires the analytics use cases to the facts table, which holds the summary too; called once per
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
  return { facts: store, summaries: store };
}
