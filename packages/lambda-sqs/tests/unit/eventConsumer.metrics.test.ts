import { buildEvent, eventCatalogue } from '@shop/contracts';
import { fakeContext } from '@shop/testing';
import type { SQSRecord } from 'aws-lambda';

type EventConsumerModule = typeof import('../../src/eventConsumer');

/** One EMF document as Powertools Metrics writes it to stdout. */
interface EmfLine {
  _aws: { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1714557600000',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1714557600100',
    },
    messageAttributes: {},
    md5OfBody: '098f6bcd4621d373cade4e832627b4f6',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:inventory-order-events',
    awsRegion: 'us-east-1',
  };
}

const orderCreatedBody = (correlationId: string) =>
  JSON.stringify(
    buildEvent('OrderCreated', eventCatalogue.OrderCreated.example, { correlationId }),
  );

/** Loads the consumer with a fresh, enabled metrics instance, as a new Lambda container would. */
async function loadWithMetricsOn(): Promise<EventConsumerModule> {
  let loaded: EventConsumerModule | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = await import('../../src/eventConsumer');
  });
  if (!loaded) throw new Error('eventConsumer did not load');
  return loaded;
}

/** Collects the EMF documents written to stdout until the mocks are restored. */
function captureEmf(): EmfLine[] {
  const lines: EmfLine[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    for (const text of String(chunk).split('\n')) {
      if (text.includes('"_aws"')) lines.push(JSON.parse(text) as EmfLine);
    }
    return true;
  });
  return lines;
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
      {
        Records: [
          sqsRecord('msg-ok', orderCreatedBody('corr-1')),
          sqsRecord('msg-invalid', 'not json'),
          sqsRecord('msg-fails', orderCreatedBody('corr-2')),
        ],
      },
      fakeContext(),
    );

    // Assess
    expect(response.batchItemFailures).toHaveLength(2);
    const [line, ...others] = emf.filter((entry) => 'ItemsProcessed' in entry);
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
      {
        Records: [
          sqsRecord('msg-1', 'not json'),
          sqsRecord('msg-2', orderCreatedBody('corr-not-accepted')),
        ],
      },
      fakeContext(),
    );

    // Assess
    expect(handle).not.toHaveBeenCalled();
    const [line] = emf.filter((entry) => 'InvalidEvents' in entry);
    expect(line?.InvalidEvents).toEqual([1, 1]);
    expect(line).not.toHaveProperty('Errors');
    expect(line).not.toHaveProperty('ItemsProcessed');
  });
});
