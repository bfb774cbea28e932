import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

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
 * X-Ray tracer. Off under serverless-offline (`IS_OFFLINE`), where no daemon listens; elsewhere
 * `POWERTOOLS_TRACE_ENABLED=false` turns it off.
 */
export const tracer = new Tracer(process.env.IS_OFFLINE === 'true' ? { enabled: false } : {});

export { MetricUnit } from '@aws-lambda-powertools/metrics';
