/**
 * Reads a setting the function cannot run without, failing the cold start with a clear message
 * instead of a confusing SDK error later. An empty value counts as missing.
 *
 * @param env where to read it; `process.env` unless a test passes its own.
 * @throws Error `<NAME> is not set; it comes from the service's serverless.yml`.
 * @example
 * ```ts
 * const table = requireEnv('ORDERS_TABLE');
 * const topicArn = requireEnv('EVENT_BUS_TOPIC_ARN', env);
 * ```
 */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set; it comes from the service's serverless.yml`);
  return value;
}
