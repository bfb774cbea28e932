import { buildEvent, eventCatalogue, type ShopEvent } from '@shop/contracts';
import { logger } from '@shop/observability';
import { captureJsonLines, fakeContext, type JsonLine, sqsEvent, sqsRecord } from '@shop/testing';
import type { SQSRecord } from 'aws-lambda';
import { eventConsumer } from '../../src/eventConsumer';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:shop-event-bus';

const orderCreated = (correlationId: string) =>
  buildEvent('OrderCreated', eventCatalogue.OrderCreated.example, { correlationId });

const paymentFailed = (correlationId: string) =>
  buildEvent('PaymentFailed', eventCatalogue.PaymentFailed.example, { correlationId });

/** A record whose subscription uses raw message delivery: the body is the event itself. */
const rawRecord = (messageId: string, event: ShopEvent) => sqsRecord(event, { messageId });

/** A record whose subscription does not use raw delivery: the event is inside an SNS envelope. */
const snsRecord = (messageId: string, event: ShopEvent) =>
  sqsRecord(
    {
      Type: 'Notification',
      MessageId: 'd88d4479-6ec0-54fe-b63f-1cf9df4bb16e',
      TopicArn: TOPIC_ARN,
      Message: JSON.stringify(event),
      Timestamp: '2024-05-01T10:00:00.123Z',
      SignatureVersion: '1',
      Signature: 'x',
      SigningCertURL: 'https://x',
      UnsubscribeURL: 'https://x',
    },
    { messageId },
  );

/** A handle that records the events it was given, in order. */
function recordingHandle() {
  const handled: { event: ShopEvent; messageId: string }[] = [];
  const handle = jest.fn(async (event: ShopEvent, record: SQSRecord) => {
    handled.push({ event, messageId: record.messageId });
  });
  return { handle, handled };
}

/**
 * Turns the shared logger on and collects the JSON lines it writes until the mocks are restored.
 * Tests that read logs call the bare `lambdaHandler`: the instrumented handler puts the log level
 * back to the configured one (SILENT here) on every warm invocation.
 */
function captureLogs(): JsonLine[] {
  const lines = captureJsonLines();
  logger.setLogLevel('INFO');
  return lines;
}

const linesWithMessage = (lines: JsonLine[], message: string) =>
  lines.filter((line) => line.message === message);

/** Lets every other record of the batch run before this one resumes, as a real I/O call would. */
const yieldToOtherRecords = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('Function: eventConsumer', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    logger.setLogLevel('SILENT');
  });

  describe('parsing', () => {
    it('passes a raw-delivery event to handle, parsed, with its record and the context', async () => {
      // Prepare
      const event = orderCreated('corr-raw');
      const record = rawRecord('msg-1', event);
      const context = fakeContext();
      const totals: number[] = [];
      const handle = jest.fn(async (parsed: ShopEvent<'OrderCreated'>) => {
        // Typed: no narrowing needed to reach the OrderCreated payload.
        totals.push(parsed.data.total.amount);
      });
      const handler = eventConsumer({ accept: ['OrderCreated'], handle });

      // Act
      const response = await handler(sqsEvent(record), context);

      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(handle).toHaveBeenCalledTimes(1);
      expect(handle).toHaveBeenCalledWith(event, record, context);
      expect(totals).toEqual([eventCatalogue.OrderCreated.example.total.amount]);
    });

    it('unwraps an event delivered inside an SNS notification envelope', async () => {
      // Prepare
      const event = orderCreated('corr-sns');
      const record = snsRecord('msg-1', event);
      const { handle, handled } = recordingHandle();
      const handler = eventConsumer({ accept: ['OrderCreated'], handle });

      // Act
      const response = await handler(sqsEvent(record), fakeContext());

      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(handled).toEqual([{ event, messageId: 'msg-1' }]);
      expect(handle.mock.calls[0]?.[1]).toBe(record);
    });

    it('handles raw and enveloped records of several accepted types in one batch', async () => {
      // Prepare
      const created = orderCreated('corr-1');
      const failed = paymentFailed('corr-2');
      const { handle, handled } = recordingHandle();
      const handler = eventConsumer({ accept: ['OrderCreated', 'PaymentFailed'], handle });

      // Act
      const response = await handler(
        sqsEvent(rawRecord('msg-1', created), snsRecord('msg-2', failed)),
        fakeContext(),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(handled).toHaveLength(2);
      expect(handled).toEqual(
        expect.arrayContaining([
          { event: created, messageId: 'msg-1' },
          { event: failed, messageId: 'msg-2' },
        ]),
      );
    });
  });

  describe('partial batch failures', () => {
    it('reports only the record whose handle throws, and handles the others once', async () => {
      // Prepare
      const handle = jest.fn(async (_event: ShopEvent, record: SQSRecord) => {
        if (record.messageId === 'msg-2') throw new Error('stock table unavailable');
      });
      const handler = eventConsumer({ accept: ['OrderCreated'], handle });

      // Act
      const response = await handler(
        sqsEvent(
          rawRecord('msg-1', orderCreated('corr-1')),
          rawRecord('msg-2', orderCreated('corr-2')),
          snsRecord('msg-3', orderCreated('corr-3')),
        ),
        fakeContext(),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-2' }] });
      expect(handle).toHaveBeenCalledTimes(3);
      const handledIds = handle.mock.calls.map(([, record]) => record.messageId).sort();
      expect(handledIds).toEqual(['msg-1', 'msg-2', 'msg-3']);
    });

    it.each([
      {
        case: 'a schema-invalid event',
        body: JSON.stringify({
          ...orderCreated('corr-bad'),
          data: { ...eventCatalogue.OrderCreated.example, total: 'a lot' },
        }),
      },
      {
        case: 'an envelope missing its correlation id',
        body: JSON.stringify({ ...orderCreated('corr-bad'), correlationId: undefined }),
      },
      { case: 'a body that is not JSON', body: 'not json {' },
      {
        case: 'an SNS envelope whose Message is not JSON',
        body: JSON.stringify({
          Type: 'Notification',
          MessageId: 'd88d4479-6ec0-54fe-b63f-1cf9df4bb16e',
          TopicArn: TOPIC_ARN,
          Message: 'not json {',
          Timestamp: '2024-05-01T10:00:00.123Z',
        }),
      },
      { case: 'an event type it does not accept', body: JSON.stringify(paymentFailed('corr-x')) },
      {
        case: 'an event type missing from the catalogue',
        body: JSON.stringify({ ...orderCreated('corr-x'), eventType: 'OrderTeleported' }),
      },
    ])(
      'reports $case as failed without calling handle, and handles its batch-mates',
      async ({ body }) => {
        // Prepare
        const good1 = orderCreated('corr-good-1');
        const good2 = orderCreated('corr-good-2');
        const { handle, handled } = recordingHandle();
        const handler = eventConsumer({ accept: ['OrderCreated'], handle });

        // Act
        const response = await handler(
          sqsEvent(
            rawRecord('msg-1', good1),
            sqsRecord(body, { messageId: 'msg-bad' }),
            snsRecord('msg-3', good2),
          ),
          fakeContext(),
        );

        // Assess
        expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-bad' }] });
        expect(handle).toHaveBeenCalledTimes(2);
        expect(handled).toEqual(
          expect.arrayContaining([
            { event: good1, messageId: 'msg-1' },
            { event: good2, messageId: 'msg-3' },
          ]),
        );
      },
    );

    it('logs why an invalid event was rejected, naming the record', async () => {
      // Prepare
      const lines = captureLogs();
      const { handle } = recordingHandle();
      const { lambdaHandler } = eventConsumer({ accept: ['OrderCreated'], handle });

      // Act
      await lambdaHandler(sqsEvent(rawRecord('msg-bad', paymentFailed('corr-x'))), fakeContext());

      // Assess
      const rejected = linesWithMessage(lines, 'rejected an invalid event; it will go to the DLQ');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({
        level: 'ERROR',
        messageId: 'msg-bad',
        issues: [{ path: 'eventType', message: expect.stringContaining('PaymentFailed') }],
      });
    });

    it('returns every record when all of them fail, instead of throwing', async () => {
      // Prepare
      const handle = jest.fn(async () => {
        throw new Error('downstream is down');
      });
      const handler = eventConsumer({ accept: ['OrderCreated'], handle });

      // Act
      const response = await handler(
        sqsEvent(
          rawRecord('msg-1', orderCreated('corr-1')),
          sqsRecord('not json', { messageId: 'msg-2' }),
          snsRecord('msg-3', orderCreated('corr-3')),
        ),
        fakeContext(),
      );

      // Assess
      expect(response.batchItemFailures).toHaveLength(3);
      expect(response.batchItemFailures).toEqual(
        expect.arrayContaining([
          { itemIdentifier: 'msg-1' },
          { itemIdentifier: 'msg-2' },
          { itemIdentifier: 'msg-3' },
        ]),
      );
      expect(handle).toHaveBeenCalledTimes(2);
    });

    it('returns the one record of a single-record batch that fails, instead of throwing', async () => {
      // Prepare
      const handler = eventConsumer({
        accept: ['OrderCreated'],
        handle: async () => {
          throw new Error('downstream is down');
        },
      });

      // Act
      const response = await handler(
        sqsEvent(rawRecord('msg-1', orderCreated('corr-1'))),
        fakeContext(),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    });

    it('returns no failures for an empty batch', async () => {
      // Prepare
      const { handle } = recordingHandle();
      const handler = eventConsumer({ accept: ['OrderCreated'], handle });

      // Act
      const response = await handler(sqsEvent(), fakeContext());

      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(handle).not.toHaveBeenCalled();
    });

    it('does not carry the failures of one invocation into the next', async () => {
      // Prepare
      const handle = jest.fn(async (_event: ShopEvent, record: SQSRecord) => {
        if (record.messageId === 'msg-1') throw new Error('transient');
      });
      const handler = eventConsumer({ accept: ['OrderCreated'], handle });
      const first = await handler(
        sqsEvent(rawRecord('msg-1', orderCreated('corr-1'))),
        fakeContext(),
      );

      // Act
      const second = await handler(
        sqsEvent(rawRecord('msg-2', orderCreated('corr-2'))),
        fakeContext(),
      );

      // Assess
      expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
      expect(second).toEqual({ batchItemFailures: [] });
    });
  });

  describe('correlation ids in logs', () => {
    it('adds the event correlation id, id and type to the logger keys while handle runs', async () => {
      // Prepare
      const event = orderCreated('corr-keys');
      const appendKeys = jest.spyOn(logger, 'appendKeys');
      const removeKeys = jest.spyOn(logger, 'removeKeys');
      const seen: { appended: number; removed: number }[] = [];
      const handler = eventConsumer({
        accept: ['OrderCreated'],
        handle: async () => {
          seen.push({
            appended: appendKeys.mock.calls.length,
            removed: removeKeys.mock.calls.length,
          });
        },
      });

      // Act
      await handler(sqsEvent(rawRecord('msg-1', event)), fakeContext());

      // Assess
      expect(appendKeys).toHaveBeenCalledWith({
        correlationId: 'corr-keys',
        eventId: event.eventId,
        eventType: 'OrderCreated',
        eventSource: 'order',
      });
      // Added before handle ran, removed after it returned.
      expect(seen).toEqual([{ appended: 1, removed: 0 }]);
      expect(removeKeys).toHaveBeenCalledWith([
        'correlationId',
        'eventId',
        'eventType',
        'eventSource',
      ]);
    });

    it('writes the event correlation id on the log lines of handle', async () => {
      // Prepare
      const lines = captureLogs();
      const event = orderCreated('corr-one');
      const { lambdaHandler } = eventConsumer({
        accept: ['OrderCreated'],
        handle: async (parsed) => {
          await yieldToOtherRecords();
          logger.info('reserving stock', { orderId: parsed.data.orderId });
        },
      });

      // Act
      await lambdaHandler(sqsEvent(rawRecord('msg-1', event)), fakeContext());

      // Assess
      expect(linesWithMessage(lines, 'reserving stock')).toEqual([
        expect.objectContaining({
          correlationId: 'corr-one',
          eventId: event.eventId,
          eventType: 'OrderCreated',
        }),
      ]);
      expect(linesWithMessage(lines, 'event handled')).toEqual([
        expect.objectContaining({ correlationId: 'corr-one', durationMs: expect.any(Number) }),
      ]);
    });

    it.each([
      { case: 'handle returns', handle: async () => {} },
      {
        case: 'handle throws',
        handle: async () => {
          throw new Error('downstream is down');
        },
      },
    ])('removes the correlation keys from the logger when $case', async ({ handle }) => {
      // Prepare
      const lines = captureLogs();
      // The instrumented handler also resets every key after the invocation; this is the consumer's own cleanup.
      const { lambdaHandler } = eventConsumer({ accept: ['OrderCreated'], handle });
      await lambdaHandler(sqsEvent(rawRecord('msg-1', orderCreated('corr-gone'))), fakeContext());

      // Act
      logger.info('after the record');

      // Assess
      const [after] = linesWithMessage(lines, 'after the record');
      expect(after).toBeDefined();
      expect(after).not.toHaveProperty('correlationId');
      expect(after).not.toHaveProperty('eventId');
      expect(after).not.toHaveProperty('eventType');
    });

    // Records are handled one at a time because the correlation keys live on the one shared
    // logger; in parallel, a record awaiting in `handle` would log under the next record's id.
    it('keeps each record correlation id on its own log lines', async () => {
      // Prepare
      const lines = captureLogs();
      const events = [orderCreated('corr-a'), orderCreated('corr-b'), orderCreated('corr-c')];
      const { lambdaHandler } = eventConsumer({
        accept: ['OrderCreated'],
        handle: async (parsed) => {
          await yieldToOtherRecords();
          logger.info('reserving stock', { expected: parsed.correlationId });
        },
      });

      // Act
      await lambdaHandler(
        sqsEvent(...events.map((event, i) => rawRecord(`msg-${i + 1}`, event))),
        fakeContext(),
      );

      // Assess
      const handleLines = linesWithMessage(lines, 'reserving stock');
      expect(handleLines).toHaveLength(3);
      for (const line of handleLines) {
        expect(line.correlationId).toBe(line.expected);
      }
      const handledLines = linesWithMessage(lines, 'event handled');
      expect(handledLines.map((line) => line.correlationId).sort()).toEqual([
        'corr-a',
        'corr-b',
        'corr-c',
      ]);
    });

    it('does not let the next record inherit the correlation id', async () => {
      // Prepare
      const lines = captureLogs();
      const { lambdaHandler } = eventConsumer({
        accept: ['OrderCreated'],
        handle: async () => {
          await yieldToOtherRecords();
        },
      });

      // Act
      await lambdaHandler(
        sqsEvent(
          rawRecord('msg-1', orderCreated('corr-first')),
          sqsRecord('not json', { messageId: 'msg-2' }),
        ),
        fakeContext(),
      );

      // Assess
      const [rejected] = linesWithMessage(
        lines,
        'rejected an invalid event; it will go to the DLQ',
      );
      expect(rejected).toMatchObject({ messageId: 'msg-2' });
      expect(rejected).not.toHaveProperty('correlationId');
      expect(rejected).not.toHaveProperty('eventId');
    });
  });
});
