import { MetricUnit, metrics } from './powertools';

/**
 * Counts one occurrence of a metric under one extra dimension, e.g. OrdersCancelled by reason.
 * It is written at once as an EMF document of its own, so the dimension does not spill onto the
 * invocation's other metrics (ItemsProcessed by reason would be meaningless).
 *
 * The value must come from a small fixed set (an enum, never an id): every distinct value is a
 * metric of its own in CloudWatch, billed and listed separately.
 *
 * @example
 * ```ts
 * countBy('OrdersCancelled', 'reason', order.cancellationCode); // PAYMENT_FAILED, …
 * ```
 */
export function countBy(metricName: string, dimensionName: string, dimensionValue: string): void {
  const metric = metrics.singleMetric();
  metric.addDimension(dimensionName, dimensionValue);
  metric.addMetric(metricName, MetricUnit.Count, 1);
}
