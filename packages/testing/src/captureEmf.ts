import { captureJsonLines } from './captureJsonLines';

/** One CloudWatch Embedded Metric Format document as Powertools Metrics writes it to stdout. */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  /** Metric values and dimension values, by name. */
  [key: string]: unknown;
}

export interface CapturedEmf {
  /** Every EMF document written since the capture began. */
  documents(): EmfDocument[];
  /** The documents that declare a metric called `name`. */
  declaring(name: string): EmfDocument[];
}

/**
 * Collects the EMF documents written from now until the mocks are restored
 * (`jest.restoreAllMocks()`), as CloudWatch would read them from the log group. Powertools reads
 * `POWERTOOLS_METRICS_DISABLED` when its Metrics are created, and the test setup disables them:
 * set it to 'false' before the code under test is imported.
 *
 * @example
 * ```ts
 * const emf = captureEmf();
 * await handler(event, fakeContext());
 * const [line] = emf.declaring('OrdersConfirmed');
 * expect(metricUnit(line, 'OrdersConfirmed')).toBe('Count');
 * expect(dimensionsOf(line)).toEqual([['service']]);
 * ```
 */
export function captureEmf(): CapturedEmf {
  const lines = captureJsonLines();
  const documents = () => lines.filter((line): line is EmfDocument => '_aws' in line);
  return {
    documents,
    declaring: (name) =>
      documents().filter((document) =>
        document._aws.CloudWatchMetrics.some((directive) =>
          directive.Metrics.some((metric) => metric.Name === name),
        ),
      ),
  };
}

/** The unit a document declares for a metric (`Count`, `Milliseconds`, …). */
export function metricUnit(document: EmfDocument | undefined, name: string): string | undefined {
  return document?._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics).find(
    (metric) => metric.Name === name,
  )?.Unit;
}

/** The dimension sets of a document's metrics, e.g. `[['service', 'reason']]`. */
export function dimensionsOf(document: EmfDocument | undefined): string[][] | undefined {
  return document?._aws.CloudWatchMetrics[0]?.Dimensions;
}

/**
 * Turns Powertools metrics on, under this service name, for the code a test file imports from now
 * on (the test setup turns them off so EMF does not drown test output; Powertools reads both
 * variables when the module creating its Metrics loads). Returns the function that puts the
 * environment back, for `afterAll`.
 *
 * @example
 * ```ts
 * const restoreEnv = emitMetricsAs('order'); // before the handler is imported
 * afterAll(restoreEnv);
 * ```
 */
export function emitMetricsAs(service: string): () => void {
  const overrides = { POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_SERVICE_NAME: service };
  const saved = Object.keys(overrides).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, overrides);
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
