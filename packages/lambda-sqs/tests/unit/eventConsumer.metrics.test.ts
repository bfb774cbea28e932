import { buildEvent, eventCatalogue } from '@shop/contracts';
import { captureJsonLines, fakeContext, sqsEvent, sqsRecord } from '@shop/testing';

type EventConsumerModule = typeof import('../../src/eventConsumer');

/** One EMF document as Powertools Metrics writes it to stdout. */
interface EmfLine {
  _aws: { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

const orderCreated = (correlationId: string) =>
  buildEvent('OrderCreated', eventCatalogue.OrderCreated.example, { correlationId });

/** Loads the consumer with a fresh, enabled metrics instance, as a new Lambda container would. */
async function loadWithMetricsOn(): Promise<EventConsumerModule> {
  let loaded: EventConsumerModule | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = await import('../../src/eventConsumer');
  });
  if (!loaded) throw new Error('eventConsumer did not load');
  return loaded;
}

/** Collects output until the mocks are restored; the function returns the EMF documents so far. */
function captureEmf(): () => EmfLine[] {
  const lines = captureJsonLines();
  return () => lines.filter((line): line is EmfLine => '_aws' in line);
}

const unitOf = (line: EmfLine | undefined, name: string) =>
  line?._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics).find(
    (metric) => metric.Name === name,
  )?.Unit;

describe('Function: eventConsumer (metrics)', () => {
  let savedDisabled: string | undefined;

  beforeEach(() => {
    savedDisabled = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });

  afterEach(() => {
    if (savedDisabled === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = savedDisabled;
    jest.restoreAllMocks();
  });

  it('counts handled, invalid and failed records in the invocation EMF document', async () => {
    // Prepare
    const { eventConsumer } = await loadWithMetricsOn();
    const emf = captureEmf();
    const handler = eventConsumer({
      accept: ['OrderCreated'],
      handle: async (_event, record) => {
        if (record.messageId === 'msg-fails') throw new Error('downstream is down');
      },
    });

    // Act
    const response = await handler(
      sqsEvent(
        sqsRecord(orderCreated('corr-1'), { messageId: 'msg-ok' }),
        sqsRecord('not json', { messageId: 'msg-invalid' }),
        sqsRecord(orderCreated('corr-2'), { messageId: 'msg-fails' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(response.batchItemFailures).toHaveLength(2);
    const [line, ...others] = emf().filter((entry) => 'ItemsProcessed' in entry);
    expect(others).toEqual([]);
    expect(line).toMatchObject({
      ItemsProcessed: 1,
      InvalidEvents: 1,
      Errors: 1,
      ProcessingTime: expect.any(Number),
    });
    expect(unitOf(line, 'ItemsProcessed')).toBe('Count');
    expect(unitOf(line, 'InvalidEvents')).toBe('Count');
    expect(unitOf(line, 'Errors')).toBe('Count');
  });

  it('counts each invalid record, and not as a handling error', async () => {
    // Prepare
    const { eventConsumer } = await loadWithMetricsOn();
    const emf = captureEmf();
    const handle = jest.fn(async () => {});
    const handler = eventConsumer({ accept: ['PaymentFailed'], handle });

    // Act
    await handler(
      sqsEvent(
        sqsRecord('not json', { messageId: 'msg-1' }),
        sqsRecord(orderCreated('corr-not-accepted'), { messageId: 'msg-2' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(handle).not.toHaveBeenCalled();
    const [line] = emf().filter((entry) => 'InvalidEvents' in entry);
    expect(line?.InvalidEvents).toEqual([1, 1]);
    expect(line).not.toHaveProperty('Errors');
    expect(line).not.toHaveProperty('ItemsProcessed');
  });

  it('counts an event from a service that does not produce it apart from invalid ones', async () => {
    // Prepare
    const { eventConsumer } = await loadWithMetricsOn();
    const emf = captureEmf();
    const handle = jest.fn(async () => {});
    const handler = eventConsumer({ accept: ['OrderCreated'], handle });

    // Act
    await handler(
      sqsEvent(
        sqsRecord({ ...orderCreated('corr-impostor'), source: 'payment' }, { messageId: 'msg-1' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(handle).not.toHaveBeenCalled();
    const [line] = emf().filter((entry) => 'WrongSourceEvents' in entry);
    expect(line?.WrongSourceEvents).toBe(1);
    expect(unitOf(line, 'WrongSourceEvents')).toBe('Count');
    expect(line).not.toHaveProperty('InvalidEvents');
    expect(line).not.toHaveProperty('ItemsProcessed');
  });
});
