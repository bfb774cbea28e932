import { type DeadLetter, SqsDeadLetterQueue } from '@shop/aws-adapters';
import { buildEvent, type EventType, eventCatalogue, type ShopEvent } from '@shop/contracts';
import { logger } from '@shop/observability';
import { captureJsonLines, fakeContext, type JsonLine, sqsEvent, sqsRecord } from '@shop/testing';
import { eventConsumer } from '../../src/eventConsumer';

// Events are accepted only from their producer: the catalogue names one `source` per event type,
// and anything else on the bus claiming that type is dead-lettered before `handle` sees it.

const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-inventory-test-events-dlq';
const WRONG_SOURCE_LOG =
  'rejected an event from a service that does not produce it; it will go to the DLQ';

/** A valid event of `type` as its producer builds it, then claimed by `source`. */
function eventFrom<T extends EventType>(type: T, source: string, correlationId = 'corr-src') {
  const event = buildEvent(type, eventCatalogue[type].example as never, { correlationId });
  return { ...event, source } as ShopEvent<T>;
}

/** Records what would have been sent to the DLQ, instead of calling SQS. */
function spyOnDeadLetters(fail?: Error) {
  const sent: DeadLetter[] = [];
  const send = jest
    .spyOn(SqsDeadLetterQueue.prototype, 'send')
    .mockImplementation(async (letter: DeadLetter) => {
      if (fail) throw fail;
      sent.push(letter);
    });
  return { sent, send };
}

function captureLogs(): JsonLine[] {
  const lines = captureJsonLines();
  logger.setLogLevel('INFO');
  return lines;
}

describe('Function: eventConsumer (event sources)', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    logger.setLogLevel('SILENT');
  });

  it('handles an event whose source is its producer', async () => {
    // Prepare
    const { sent } = spyOnDeadLetters();
    const handle = jest.fn(async () => {});
    const handler = eventConsumer({
      accept: ['OrderCreated'],
      handle,
      deadLetterQueueUrl: DLQ_URL,
    });

    // Act
    const response = await handler(
      sqsEvent(sqsRecord(eventFrom('OrderCreated', 'order'), { messageId: 'msg-1' })),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handle).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([]);
  });

  it.each([
    ['another producer', 'OrderCreated', 'payment', 'order'],
    ['a consumer of the event', 'PaymentProcessed', 'notification', 'payment'],
    ['a service outside the catalogue', 'InventoryReserved', 'system-tests', 'inventory'],
    ['a differently cased name', 'ThumbnailCreated', 'Thumbnail', 'thumbnail'],
  ] as const)(
    'dead-letters an event claimed by %s at once, with the reason, without calling handle',
    async (_case, type, source, producer) => {
      // Prepare
      const { sent } = spyOnDeadLetters();
      const handle = jest.fn(async () => {});
      const handler = eventConsumer({ accept: [type], handle, deadLetterQueueUrl: DLQ_URL });
      const record = sqsRecord(eventFrom(type, source, 'corr-impostor'), { messageId: 'msg-x' });

      // Act
      const response = await handler(sqsEvent(record), fakeContext());

      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(handle).not.toHaveBeenCalled();
      expect(sent).toEqual([
        {
          body: record.body,
          sourceMessageId: 'msg-x',
          reason: `event from a service that does not produce it: source: "${source}" does not produce ${type}; only "${producer}" does`,
          correlationId: 'corr-impostor',
        },
      ]);
    },
  );

  it('handles the batch-mates of an impostor', async () => {
    // Prepare
    const { sent } = spyOnDeadLetters();
    const handled: string[] = [];
    const handler = eventConsumer({
      accept: ['PaymentProcessed', 'PaymentFailed'],
      handle: async (event) => {
        handled.push(event.correlationId);
      },
      deadLetterQueueUrl: DLQ_URL,
    });

    // Act
    const response = await handler(
      sqsEvent(
        sqsRecord(eventFrom('PaymentProcessed', 'payment', 'corr-1'), { messageId: 'msg-1' }),
        sqsRecord(eventFrom('PaymentProcessed', 'order', 'corr-2'), { messageId: 'msg-2' }),
        sqsRecord(eventFrom('PaymentFailed', 'payment', 'corr-3'), { messageId: 'msg-3' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual(['corr-1', 'corr-3']);
    expect(sent.map((letter) => letter.sourceMessageId)).toEqual(['msg-2']);
  });

  it('logs one clear error line naming the event, its claimed source and its producer', async () => {
    // Prepare
    spyOnDeadLetters();
    const lines = captureLogs();
    const event = eventFrom('OrderCancelled', 'inventory', 'corr-log');
    const { lambdaHandler } = eventConsumer({
      accept: ['OrderCancelled'],
      handle: async () => {},
      deadLetterQueueUrl: DLQ_URL,
    });

    // Act
    await lambdaHandler(sqsEvent(sqsRecord(event, { messageId: 'msg-log' })), fakeContext());

    // Assess
    const rejected = lines.filter((line) => line.message === WRONG_SOURCE_LOG);
    expect(rejected).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        messageId: 'msg-log',
        correlationId: 'corr-log',
        eventId: event.eventId,
        eventType: 'OrderCancelled',
        eventSource: 'inventory',
        producer: 'order',
        deadLettered: true,
        issues: [{ path: 'source', message: expect.stringContaining('"inventory"') }],
      }),
    ]);
    expect(lines.filter((line) => line.message === 'event handled')).toEqual([]);
  });

  it('reports an impostor as failed, without calling handle, when there is no DLQ to send it to', async () => {
    // Prepare
    const handle = jest.fn(async () => {});
    const handler = eventConsumer({ accept: ['OrderCreated'], handle });

    // Act
    const response = await handler(
      sqsEvent(sqsRecord(eventFrom('OrderCreated', 'payment'), { messageId: 'msg-x' })),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-x' }] });
    expect(handle).not.toHaveBeenCalled();
  });

  it('reports an impostor as failed when the DLQ cannot take it, so it is not lost', async () => {
    // Prepare
    spyOnDeadLetters(new Error('SQS unavailable'));
    const handle = jest.fn(async () => {});
    const handler = eventConsumer({
      accept: ['OrderCreated'],
      handle,
      deadLetterQueueUrl: DLQ_URL,
    });

    // Act
    const response = await handler(
      sqsEvent(sqsRecord(eventFrom('OrderCreated', 'payment'), { messageId: 'msg-x' })),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-x' }] });
    expect(handle).not.toHaveBeenCalled();
  });

  it('still dead-letters an invalid event with its validation reason', async () => {
    // Prepare
    const { sent } = spyOnDeadLetters();
    const handler = eventConsumer({
      accept: ['OrderCreated'],
      handle: async () => {},
      deadLetterQueueUrl: DLQ_URL,
    });

    // Act
    await handler(sqsEvent(sqsRecord('not json', { messageId: 'msg-bad' })), fakeContext());

    // Assess
    expect(sent).toEqual([
      {
        body: 'not json',
        sourceMessageId: 'msg-bad',
        reason: expect.stringMatching(/^SQS message body is not JSON/),
      },
    ]);
  });
});
