import { type DeadLetter, SqsDeadLetterQueue } from '@shop/aws-adapters';
import { LambdaSqsInvalidRecordError } from '@shop/lambda-sqs';
import { logger } from '@shop/observability';
import { captureJsonLines, fakeContext, sqsEvent, sqsRecord } from '@shop/testing';
import {
  NotAnS3NotificationError,
  objectsCreatedIn,
  type S3ObjectCreated,
  s3NotificationConsumer,
} from '../../src/s3NotificationConsumer';
import { BUCKET, s3NotificationRecord } from '../helpers/s3Events';

const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-thumbnail-test-uploads-dlq';

/** Records what would have been sent to the DLQ, instead of calling SQS. */
function spyOnDeadLetters() {
  const sent: DeadLetter[] = [];
  jest.spyOn(SqsDeadLetterQueue.prototype, 'send').mockImplementation(async (letter) => {
    sent.push(letter);
  });
  return sent;
}

afterEach(() => {
  jest.restoreAllMocks();
  logger.setLogLevel('SILENT');
});

describe('Function: objectsCreatedIn', () => {
  it('decodes keys as S3 encodes them in events', () => {
    const record = s3NotificationRecord('uploads/a b/1+1 ünï.jpg', { etag: '"abc"', size: 12 });

    expect(objectsCreatedIn(record.body)).toEqual([
      {
        bucket: BUCKET,
        key: 'uploads/a b/1+1 ünï.jpg',
        etag: 'abc',
        size: 12,
        eventName: 'ObjectCreated:Put',
        correlationId: expect.stringMatching(/^s3:uploads_a_b_1_1_.+\.jpg:[0-9a-f]{16}$/),
      },
    ]);
  });

  it('keeps only object-created records and reads the S3 test event as none', () => {
    const removed = s3NotificationRecord('uploads/x.jpg', { eventName: 'ObjectRemoved:Delete' });

    expect(objectsCreatedIn(removed.body)).toEqual([]);
    expect(objectsCreatedIn(JSON.stringify({ Event: 's3:TestEvent' }))).toEqual([]);
  });

  it('throws an invalid-record error for bodies that are not S3 notifications', () => {
    expect(() => objectsCreatedIn('nope')).toThrow(NotAnS3NotificationError);
    expect(() => objectsCreatedIn('nope')).toThrow(LambdaSqsInvalidRecordError);
    expect(() => objectsCreatedIn('{"Records":"x"}')).toThrow('not an S3 event notification');
    const badKey = JSON.parse(s3NotificationRecord('uploads/x.jpg').body);
    badKey.Records[0].s3.object.key = 'uploads/%E0%A4%A.jpg';
    expect(() => objectsCreatedIn(JSON.stringify(badKey))).toThrow('is not URL-encoded');
  });
});

describe('Function: s3NotificationConsumer', () => {
  it.each([
    ['a body that is not JSON', 'not json', 'not an S3 event notification: the body is not JSON'],
    ['JSON without Records', '{"hello":1}', 'not an S3 event notification: no Records'],
    [
      'a record without a key',
      JSON.stringify({
        Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: {} }],
      }),
      'not an S3 event notification: a record without bucket or key',
    ],
  ])('dead-letters %s on its first delivery and acknowledges it', async (_case, body, reason) => {
    // Prepare
    const sent = spyOnDeadLetters();
    const handled: string[] = [];
    const handler = s3NotificationConsumer({
      deadLetterQueueUrl: DLQ_URL,
      handle: async (object) => {
        handled.push(object.key);
      },
    });

    // Act
    const response = await handler(
      sqsEvent(
        sqsRecord(body, { messageId: 'bad', attributes: { ApproximateReceiveCount: '1' } }),
        s3NotificationRecord('uploads/ok.jpg', { messageId: 'ok' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([{ body, sourceMessageId: 'bad', reason }]);
    expect(handled).toEqual(['uploads/ok.jpg']);
  });

  it('logs the rejection with the record id and its reason', async () => {
    // Prepare
    spyOnDeadLetters();
    const lines = captureJsonLines();
    logger.setLogLevel('INFO');
    const { lambdaHandler } = s3NotificationConsumer({
      deadLetterQueueUrl: DLQ_URL,
      handle: async () => {},
    });

    // Act
    await lambdaHandler(sqsEvent(sqsRecord('not json', { messageId: 'bad' })), fakeContext());

    // Assess
    expect(
      lines.filter(
        (line) => line.message === 'rejected an unreadable notification; it will go to the DLQ',
      ),
    ).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        messageId: 'bad',
        reason: 'not an S3 event notification: the body is not JSON',
        deadLettered: true,
      }),
    ]);
  });

  it('reports a malformed notification as failed when there is no DLQ to send it to', async () => {
    // Prepare
    const handler = s3NotificationConsumer({ handle: async () => {} });

    // Act
    const response = await handler(
      sqsEvent(sqsRecord('not json', { messageId: 'bad' })),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });

  it('handles each object with its log keys, and skips objects of another bucket', async () => {
    // Prepare
    const lines = captureJsonLines();
    logger.setLogLevel('INFO');
    const handled: S3ObjectCreated[] = [];
    const { lambdaHandler } = s3NotificationConsumer({
      bucket: BUCKET,
      handle: async (object) => {
        handled.push(object);
        logger.info('making a thumbnail');
      },
    });

    // Act
    const response = await lambdaHandler(
      sqsEvent(
        s3NotificationRecord('uploads/a.jpg', { messageId: 'ours', etag: 'e1' }),
        s3NotificationRecord('uploads/b.jpg', { messageId: 'theirs', bucket: 'someone-elses' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handled.map((object) => object.key)).toEqual(['uploads/a.jpg']);
    expect(lines.filter((line) => line.message === 'making a thumbnail')).toEqual([
      expect.objectContaining({
        correlationId: handled[0]?.correlationId,
        bucket: BUCKET,
        key: 'uploads/a.jpg',
        etag: 'e1',
      }),
    ]);
    expect(
      lines.filter((line) => line.message === 'notification from another bucket ignored'),
    ).toEqual([
      expect.objectContaining({
        messageId: 'theirs',
        bucket: 'someone-elses',
        mediaBucket: BUCKET,
      }),
    ]);
  });
});
