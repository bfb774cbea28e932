import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, MetricUnit, metrics, tracer } from './powertools';

/** Records ProcessingTime for every invocation, failed ones included. */
function processingTime(): MiddlewareObj {
  let started = 0;
  const record = async () => {
    metrics.addMetric('ProcessingTime', MetricUnit.Milliseconds, Date.now() - started);
  };
  return {
    before: async () => {
      started = Date.now();
    },
    after: record,
    onError: record,
  };
}

/**
 * Wires a Lambda handler to the shared logger (Lambda context, cold start, keys reset between
 * invocations), metrics (EMF flushed after each invocation; ColdStart and ProcessingTime for every
 * function) and tracer (where tracing is on).
 * The bare function stays reachable as `lambdaHandler` for unit tests.
 *
 * @example
 * ```ts
 * const lambdaHandler = async (event: ScheduledEvent) => { ... };
 * export const handler = instrumentHandler(lambdaHandler);
 * ```
 */
export function instrumentHandler<TEvent, TResult>(
  lambdaHandler: (event: TEvent, context: Context) => Promise<TResult>,
) {
  const handler = middy(lambdaHandler);
  if (tracer) {
    // Loaded only with the tracer (powertools.ts says why).
    const { captureLambdaHandler } =
      require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware');
    handler.use(captureLambdaHandler(tracer, { captureResponse: false }));
  }
  handler
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(processingTime());
  return Object.assign(handler, { lambdaHandler });
}
