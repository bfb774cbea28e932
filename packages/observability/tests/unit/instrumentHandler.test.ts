import { captureJsonLines, type EmfDocument, fakeContext, metricUnit } from '@shop/testing';
import type { Context } from 'aws-lambda';
import { instrumentHandler } from '../../src';

type Observability = typeof import('../../src');

const ENV_OVERRIDES = {
  // setupEnv turns metrics off for every test; these tests are about them.
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  // What Lambda sets for an on-demand container; Powertools reports ColdStart only then.
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
};

/**
 * Loads `src` as a new Lambda container would: fresh logger, metrics and tracer, created with
 * metrics and logs on.
 */
async function loadFreshContainer(): Promise<Observability> {
  let loaded: Observability | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = await import('../../src');
  });
  if (!loaded) throw new Error('src did not load');
  return loaded;
}

/** Collects the JSON lines written to stdout and stderr until the mocks are restored. */
function captureOutput() {
  const lines = captureJsonLines();
  const emf = () => lines.filter((line): line is EmfDocument => '_aws' in line);
  const logs = () => lines.filter((line) => !('_aws' in line));
  return { emf, logs };
}

/** The EMF documents that declare a metric called `name`. */
const declaring = (lines: EmfDocument[], name: string) =>
  lines.filter((line) =>
    line._aws.CloudWatchMetrics.some((directive) =>
      directive.Metrics.some((metric) => metric.Name === name),
    ),
  );

describe('Function: instrumentHandler', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('the handler', () => {
    it('calls the bare function with the event and context and returns its result', async () => {
      // Prepare
      const bare = jest.fn(async (event: { n: number }, _context: Context) => ({
        doubled: event.n * 2,
      }));
      const handler = instrumentHandler(bare);
      const event = { n: 21 };
      const context = fakeContext();

      // Act
      const result = await handler(event, context);

      // Assess
      expect(result).toEqual({ doubled: 42 });
      expect(bare).toHaveBeenCalledTimes(1);
      const [receivedEvent, receivedContext] = bare.mock.calls[0] ?? [];
      expect(receivedEvent).toBe(event);
      expect(receivedContext).toBe(context);
    });

    it('exposes the bare function as lambdaHandler', () => {
      // Prepare
      const bare = async (_event: unknown, _context: Context) => 'ok';

      // Act
      const handler = instrumentHandler(bare);

      // Assess
      expect(handler.lambdaHandler).toBe(bare);
    });

    it('propagates the error the bare function throws', async () => {
      // Prepare
      const error = new Error('table not found');
      const handler = instrumentHandler(async () => {
        throw error;
      });

      // Act
      const invocation = handler({}, fakeContext());

      // Assess
      await expect(invocation).rejects.toBe(error);
    });

    it('answers every invocation of a warm container', async () => {
      // Prepare
      const handler = instrumentHandler(async (event: { n: number }) => event.n);

      // Act
      const results = [
        await handler({ n: 1 }, fakeContext()),
        await handler({ n: 2 }, fakeContext()),
      ];

      // Assess
      expect(results).toEqual([1, 2]);
    });
  });

  describe('with metrics and logs on', () => {
    const saved: Record<string, string | undefined> = {};
    let container: Observability;
    let now: number;

    beforeEach(async () => {
      for (const [key, value] of Object.entries(ENV_OVERRIDES)) {
        saved[key] = process.env[key];
        process.env[key] = value;
      }
      container = await loadFreshContainer();
      now = 1_714_557_600_000;
      jest.spyOn(Date, 'now').mockImplementation(() => now);
    });

    afterEach(() => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });

    it('writes ProcessingTime in milliseconds after an invocation', async () => {
      // Prepare
      const output = captureOutput();
      const handler = container.instrumentHandler(async () => {
        now += 42;
        return 'done';
      });

      // Act
      await handler({}, fakeContext());

      // Assess
      const [line, ...others] = declaring(output.emf(), 'ProcessingTime');
      expect(others).toEqual([]);
      expect(line?.ProcessingTime).toBe(42);
      expect(metricUnit(line, 'ProcessingTime')).toBe('Milliseconds');
      expect(line?._aws.CloudWatchMetrics[0]?.Namespace).toBe('serverless-shop-test');
    });

    it('writes ProcessingTime when the bare function throws', async () => {
      // Prepare
      const output = captureOutput();
      const handler = container.instrumentHandler(async () => {
        now += 7;
        throw new Error('boom');
      });

      // Act
      await expect(handler({}, fakeContext())).rejects.toThrow('boom');

      // Assess
      const [line, ...others] = declaring(output.emf(), 'ProcessingTime');
      expect(others).toEqual([]);
      expect(line?.ProcessingTime).toBe(7);
      expect(metricUnit(line, 'ProcessingTime')).toBe('Milliseconds');
    });

    it('writes ProcessingTime once per invocation, not accumulated across them', async () => {
      // Prepare
      const output = captureOutput();
      const durations = [5, 9];
      const handler = container.instrumentHandler(async () => {
        now += durations.shift() ?? 0;
      });

      // Act
      await handler({}, fakeContext());
      await handler({}, fakeContext());

      // Assess
      const lines = declaring(output.emf(), 'ProcessingTime');
      expect(lines.map((line) => line.ProcessingTime)).toEqual([5, 9]);
    });

    it('writes ColdStart on the first invocation of a container only', async () => {
      // Prepare
      const output = captureOutput();
      const handler = container.instrumentHandler(async () => 'done');
      const context = fakeContext({ functionName: 'order-createOrder' });

      // Act
      await handler({}, context);
      const afterFirst = declaring(output.emf(), 'ColdStart');
      await handler({}, context);
      await handler({}, context);

      // Assess
      expect(afterFirst).toHaveLength(1);
      expect(declaring(output.emf(), 'ColdStart')).toHaveLength(1);
      const [coldStart] = afterFirst;
      expect(coldStart?.ColdStart).toBe(1);
      expect(metricUnit(coldStart, 'ColdStart')).toBe('Count');
      expect(coldStart?.function_name).toBe('order-createOrder');
      expect(declaring(output.emf(), 'ProcessingTime')).toHaveLength(3);
    });

    it('flushes the metrics the bare function added with ProcessingTime', async () => {
      // Prepare
      const output = captureOutput();
      const { metrics, MetricUnit } = container;
      const handler = container.instrumentHandler(async () => {
        metrics.addMetric('OrdersCreated', MetricUnit.Count, 1);
      });

      // Act
      await handler({}, fakeContext());

      // Assess
      const [line] = declaring(output.emf(), 'OrdersCreated');
      expect(line).toMatchObject({ OrdersCreated: 1, ProcessingTime: expect.any(Number) });
      expect(metricUnit(line, 'OrdersCreated')).toBe('Count');
    });

    it('writes a countBy metric with its dimension in a document of its own', async () => {
      // Prepare
      const output = captureOutput();
      const { countBy, metrics, MetricUnit } = container;
      const handler = container.instrumentHandler(async () => {
        countBy('OrdersCancelled', 'reason', 'PAYMENT_FAILED');
        metrics.addMetric('ItemsProcessed', MetricUnit.Count, 1);
      });

      // Act
      await handler({}, fakeContext());

      // Assess
      const [cancelled, ...others] = declaring(output.emf(), 'OrdersCancelled');
      expect(others).toEqual([]);
      expect(cancelled).toMatchObject({ OrdersCancelled: 1, reason: 'PAYMENT_FAILED' });
      expect(cancelled?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'reason']]);
      expect(metricUnit(cancelled, 'OrdersCancelled')).toBe('Count');
      const [invocation] = declaring(output.emf(), 'ItemsProcessed');
      expect(invocation).not.toHaveProperty('reason');
      expect(invocation).not.toHaveProperty('OrdersCancelled');
    });

    it('adds the Lambda context to the log lines of the invocation', async () => {
      // Prepare
      const output = captureOutput();
      const context = fakeContext({ awsRequestId: 'req-1', functionName: 'order-getOrder' });
      const handler = container.instrumentHandler(async () => {
        container.logger.info('looking up the order');
      });

      // Act
      await handler({}, context);

      // Assess
      expect(output.logs().filter((line) => line.message === 'looking up the order')).toEqual([
        expect.objectContaining({
          function_request_id: 'req-1',
          function_name: 'order-getOrder',
          cold_start: true,
        }),
      ]);
    });

    it('does not carry a correlation id into the next invocation', async () => {
      // Prepare
      const output = captureOutput();
      const correlationIds = ['corr-1', undefined];
      const handler = container.instrumentHandler(async () => {
        const correlationId = correlationIds.shift();
        if (correlationId) container.setCorrelationId(correlationId);
        container.logger.info('working');
      });

      // Act
      await handler({}, fakeContext());
      await handler({}, fakeContext());

      // Assess
      const lines = output.logs().filter((line) => line.message === 'working');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ correlationId: 'corr-1' });
      expect(lines[1]).not.toHaveProperty('correlationId');
    });

    it('does not carry a correlation id into the next invocation after a failure', async () => {
      // Prepare
      const output = captureOutput();
      const calls: string[] = [];
      const handler = container.instrumentHandler(async () => {
        calls.push('call');
        if (calls.length === 1) {
          container.setCorrelationId('corr-failed');
          throw new Error('boom');
        }
        container.logger.info('working');
      });
      await expect(handler({}, fakeContext())).rejects.toThrow('boom');

      // Act
      await handler({}, fakeContext());

      // Assess
      const [line] = output.logs().filter((entry) => entry.message === 'working');
      expect(line).toBeDefined();
      expect(line).not.toHaveProperty('correlationId');
    });
  });
});
