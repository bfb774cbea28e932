import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One logger, metrics and tracer per function, created at module scope so every invocation of a
 * warm container reuses them. Service name and namespace come from the function's environment
 * (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE`), set once per service in serverless.yml.
 *
 * @example
 * ```ts
 * import { logger, metrics } from '@shop/observability';
 * logger.info('order placed', { orderId });
 * metrics.addMetric('OrdersCreated', MetricUnit.Count, 1);
 * ```
 */
export const logger = new Logger();

/**
 * CloudWatch metrics written as Embedded Metric Format log lines: no API call on the hot path.
 * Powertools reads the namespace from `POWERTOOLS_METRICS_NAMESPACE` itself; no second default here.
 */
export const metrics = new Metrics();

/**
 * Whether this function traces: not under serverless-offline (`IS_OFFLINE`), where no daemon
 * listens, nor where `POWERTOOLS_TRACE_ENABLED=false`.
 */
function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.IS_OFFLINE !== 'true' && env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

/**
 * X-Ray tracer, or none where tracing is off. Off means not even loaded: requiring the X-Ray SDK
 * switches on an async hook (cls-hooked) that then runs for every promise of the process, which
 * a disabled Powertools Tracer would still pay. The bundles keep the code; esbuild evaluates it
 * only when this `require` runs.
 */
export const tracer: Tracer | undefined = tracingEnabled(process.env)
  ? new (
      require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')
    ).Tracer()
  : undefined;

export { MetricUnit } from '@aws-lambda-powertools/metrics';
