import { logger } from './powertools';

export { countBy } from './countBy';
export { instrumentHandler } from './instrumentHandler';
export { logger, MetricUnit, metrics, tracer } from './powertools';

/** Header names accepted for an incoming correlation id, in order of preference. */
export const CORRELATION_ID_HEADERS = ['x-correlation-id', 'x-request-id'] as const;

/** Name of the response header carrying the correlation id back to the caller. */
export const CORRELATION_ID_RESPONSE_HEADER = 'X-Correlation-Id';

/** Makes every following log line of this invocation carry the flow's correlation id. */
export function setCorrelationId(correlationId: string): void {
  logger.appendKeys({ correlationId });
}
