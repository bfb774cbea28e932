import 'aws-sdk-client-mock-jest';
import '@shop/thumbnail-domain/testing/jsquashInJest';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { type DeadLetter, SqsDeadLetterQueue } from '@shop/aws-adapters';
import { logger } from '@shop/observability';
import { fakeContext, sqsEvent, sqsRecord } from '@shop/testing';
import {
  avifHeader,
  decodeAvif,
  encodeAvif,
  encodeJpeg,
  encodePng,
  pixelBombPng,
  testCard,
  webpExtendedHeader,
} from '@shop/thumbnail-domain/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { BUCKET, s3NotificationRecord } from '../helpers/s3Events';

// The handler with its real adapters and the real image pipeline; S3 and SNS mocked underneath.

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:shop-events-test';
process.env.MEDIA_BUCKET = BUCKET;
process.env.EVENT_BUS_TOPIC_ARN = TOPIC_ARN;
process.env.UPLOAD_PREFIX = 'uploads/';
process.env.THUMBNAIL_PREFIX = 'thumbnails/';
process.env.UPLOADS_DLQ_URL =
  'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-thumbnail-test-uploads-dlq';

const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);

const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });

/** S3 holding these uploads (by decoded key); no thumbnails yet. */
function bucketWith(objects: Record<string, Buffer>) {
  s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
  for (const [key, bytes] of Object.entries(objects)) {
    s3.on(GetObjectCommand, { Key: key }).resolves({
      Body: {
        transformToByteArray: async () => new Uint8Array(bytes),
      } as unknown as GetObjectCommandOutput['Body'],
      ContentLength: bytes.length,
      ETag: '"etag-1"',
    });
  }
  s3.on(PutObjectCommand).resolves({ ETag: '"thumb"' });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
}

const photo = encodeJpeg(testCard(640, 480));
const load = async () => (await import('../../src/functions/createThumbnail/handler')).handler;

afterEach(() => {
  s3.reset();
  sns.reset();
  jest.restoreAllMocks();
});

describe('Function: createThumbnail', () => {
  it('thumbnails a key with spaces, + and unicode, writes it beside its sub-path and announces it', async () => {
    const key = 'uploads/7f3a/my photo+1 été.jpg';
    bucketWith({ [key]: photo });
    const handler = await load();

    const response = await handler(
      sqsEvent(s3NotificationRecord(key, { etag: 'etag-1', messageId: 'm1' })),
      fakeContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: key });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'thumbnails/7f3a/my photo+1 été_thumb.jpg',
      ContentType: 'image/jpeg',
      Metadata: { 'source-etag': 'etag-1', width: '128', height: '96' },
    });
    const body = s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body as Buffer;
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    const event = JSON.parse(publish?.Message ?? '{}');
    expect(event).toMatchObject({
      eventType: 'ThumbnailCreated',
      data: {
        bucket: BUCKET,
        sourceKey: key,
        thumbnailKey: 'thumbnails/7f3a/my photo+1 été_thumb.jpg',
        width: 128,
        height: 96,
        contentType: 'image/jpeg',
      },
    });
    expect(event.correlationId).toMatch(/^s3:[A-Za-z0-9._-]+:[0-9a-f]{16}$/);
    expect(publish?.MessageAttributes?.correlationId?.StringValue).toBe(event.correlationId);
  });

  it('keeps a PNG a PNG', async () => {
    bucketWith({ 'uploads/a/logo.png': encodePng(testCard(300, 150, { alpha: true })) });
    const handler = await load();

    await handler(sqsEvent(s3NotificationRecord('uploads/a/logo.png')), fakeContext());

    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: 'thumbnails/a/logo_thumb.png',
      ContentType: 'image/png',
      Metadata: expect.objectContaining({ width: '128', height: '64' }),
    });
  });

  it('keeps an AVIF an AVIF, and announces it', async () => {
    bucketWith({ 'uploads/a/cup.avif': await encodeAvif(testCard(200, 150)) });
    const handler = await load();

    const response = await handler(
      sqsEvent(s3NotificationRecord('uploads/a/cup.avif')),
      fakeContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: 'thumbnails/a/cup_thumb.avif',
      ContentType: 'image/avif',
      Metadata: expect.objectContaining({ width: '128', height: '96' }),
    });
    const body = s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body as Buffer;
    expect(await decodeAvif(body)).toMatchObject({ width: 128, height: 96 });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  }, 60_000);

  it('acknowledges WebP and AVIF bombs and cut-off files, refused from their headers', async () => {
    const avif = avifHeader(640, 480, 4096);
    bucketWith({
      'uploads/x/bomb.webp': webpExtendedHeader(30_000, 20_000),
      'uploads/x/bomb.avif': avifHeader(20_000, 20_000),
      'uploads/x/cut.avif': avif.subarray(0, avif.length - 100),
    });
    const warn = jest.spyOn(logger, 'warn');
    const handler = await load();

    const response = await handler(
      sqsEvent(
        s3NotificationRecord('uploads/x/bomb.webp', { messageId: 'webp' }),
        s3NotificationRecord('uploads/x/bomb.avif', { messageId: 'avif' }),
        s3NotificationRecord('uploads/x/cut.avif', { messageId: 'cut' }),
      ),
      fakeContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(warn.mock.calls.map(([, details]) => (details as { reason: string }).reason)).toEqual([
      'too-large',
      'too-large',
      'truncated',
    ]);
  });

  it('does no work twice: with a thumbnail of this ETag it only announces it again', async () => {
    const key = 'uploads/7f3a/espresso.jpg';
    bucketWith({ [key]: photo });
    s3.on(HeadObjectCommand, { Key: 'thumbnails/7f3a/espresso_thumb.jpg' }).resolves({
      ETag: '"t"',
      ContentType: 'image/jpeg',
      Metadata: { 'source-etag': 'etag-1', width: '128', height: '96' },
    });
    const handler = await load();

    const response = await handler(
      sqsEvent(s3NotificationRecord(key, { etag: 'etag-1' })),
      fakeContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('acknowledges permanent failures with a log line and no retry: text named .jpg, the pixel bomb', async () => {
    bucketWith({
      'uploads/x/notes.jpg': Buffer.from('these are meeting notes, not a photo'),
      'uploads/x/bomb.png': pixelBombPng(),
    });
    const warn = jest.spyOn(logger, 'warn');
    const handler = await load();

    const response = await handler(
      sqsEvent(
        s3NotificationRecord('uploads/x/notes.jpg', { messageId: 'text' }),
        s3NotificationRecord('uploads/x/bomb.png', { messageId: 'bomb' }),
      ),
      fakeContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(warn).toHaveBeenCalledWith(
      'upload rejected: no thumbnail',
      expect.objectContaining({ reason: 'not-an-image' }),
    );
    expect(warn).toHaveBeenCalledWith(
      'upload rejected: no thumbnail',
      expect.objectContaining({ reason: 'too-large' }),
    );
  });

  it('reports S3 and SNS errors as batch item failures, and only those', async () => {
    bucketWith({ 'uploads/ok.jpg': photo, 'uploads/notes.jpg': Buffer.from('text') });
    s3.on(GetObjectCommand, { Key: 'uploads/busy.jpg' }).rejects(s3Error('SlowDown', 503));
    const handler = await load();

    const response = await handler(
      sqsEvent(
        s3NotificationRecord('uploads/ok.jpg', { messageId: 'ok' }),
        s3NotificationRecord('uploads/busy.jpg', { messageId: 'busy' }),
        s3NotificationRecord('uploads/notes.jpg', { messageId: 'text' }),
      ),
      fakeContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'busy' }] });

    sns.on(PublishCommand).rejects(new Error('Rate exceeded'));
    const failedPublish = await handler(
      sqsEvent(s3NotificationRecord('uploads/ok.jpg', { messageId: 'ok-2' })),
      fakeContext(),
    );
    expect(failedPublish).toEqual({ batchItemFailures: [{ itemIdentifier: 'ok-2' }] });
  });

  it('retries a failed PutObject', async () => {
    bucketWith({ 'uploads/a.jpg': photo });
    s3.on(PutObjectCommand).rejects(s3Error('InternalError', 500));
    const handler = await load();

    const response = await handler(
      sqsEvent(s3NotificationRecord('uploads/a.jpg', { messageId: 'put-fails' })),
      fakeContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'put-fails' }] });
  });

  it('acknowledges the S3 test event and ignores folder keys', async () => {
    bucketWith({});
    const handler = await load();

    const response = await handler(
      sqsEvent(
        sqsRecord({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: BUCKET }),
        s3NotificationRecord('uploads/folder/', { size: 0 }),
      ),
      fakeContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('dead-letters unreadable notifications on their first delivery and acknowledges them', async () => {
    bucketWith({});
    const sent: DeadLetter[] = [];
    jest.spyOn(SqsDeadLetterQueue.prototype, 'send').mockImplementation(async (letter) => {
      sent.push(letter);
    });
    const handler = await load();

    const response = await handler(
      sqsEvent(
        sqsRecord('not json', { messageId: 'garbage' }),
        sqsRecord({ hello: 1 }, { messageId: 'odd' }),
      ),
      fakeContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([
      expect.objectContaining({ sourceMessageId: 'garbage', body: 'not json' }),
      expect.objectContaining({
        sourceMessageId: 'odd',
        reason: expect.stringContaining('no Records'),
      }),
    ]);
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('does not start a record with too little time left, so the batch never times out whole', async () => {
    bucketWith({ 'uploads/a.jpg': photo });
    const handler = await load();

    const response = await handler(
      sqsEvent(s3NotificationRecord('uploads/a.jpg', { messageId: 'late' })),
      fakeContext({ getRemainingTimeInMillis: () => 2_000 }),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'late' }] });
    expect(s3).not.toHaveReceivedCommand(HeadObjectCommand);
  });
});
