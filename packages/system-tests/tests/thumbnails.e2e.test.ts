import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { pollUntil } from '@shop/local-cloud';
import { encodePng, testCard } from '@shop/thumbnail-domain/testing';
import { useLocalCloud } from './helpers';

// Thumbnails on the local cloud: an upload (through the official AWS CLI when it is installed, the
// SDK otherwise) becomes a thumbnail and a ThumbnailCreated event; a corrupt upload costs a log
// line, is not retried, and nothing lands in the DLQ.

jest.setTimeout(240_000);

const local = useLocalCloud('thumbnail-tests-bus-tap');

let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  s3 = new S3Client({
    endpoint: local.cloud.awsEndpoint,
    region: local.cloud.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  bucket = `shop-thumbnail-${local.cloud.stage}-media-000000000000`;
});

function uploadWithCli(file: string, key: string): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
  } catch {
    return false;
  }
  execFileSync(
    'aws',
    ['--endpoint-url', local.cloud.awsEndpoint, 's3', 'cp', file, `s3://${bucket}/${key}`],
    {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'cli',
        AWS_SECRET_ACCESS_KEY: 'cli',
        AWS_DEFAULT_REGION: local.cloud.region,
      },
      stdio: 'ignore',
    },
  );
  return true;
}

it('turns an upload into a thumbnail under thumbnails/ and announces it', async () => {
  const key = `uploads/e2e ${Date.now()}/coffee+cup é.png`;
  const file = join(mkdtempSync(join(tmpdir(), 'thumb-')), 'coffee.png');
  writeFileSync(file, encodePng(testCard(640, 480), { alpha: false }));
  if (!uploadWithCli(file, key)) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: encodePng(testCard(640, 480), { alpha: false }),
        ContentType: 'image/png',
      }),
    );
  }
  const thumbnailKey = key.replace(/^uploads\//, 'thumbnails/').replace(/\.png$/, '_thumb.png');

  const head = await pollUntil(
    'the thumbnail',
    async () => {
      try {
        return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: thumbnailKey }));
      } catch {
        return undefined;
      }
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  expect(head.ContentType).toBe('image/png');
  const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: thumbnailKey }));
  const thumbnail = Buffer.from((await stored.Body?.transformToByteArray()) ?? []);
  // PNG header: width and height are the big-endian words at bytes 16 and 20.
  expect([thumbnail.readUInt32BE(16), thumbnail.readUInt32BE(20)]).toEqual([128, 96]);
  const event = await pollUntil(
    'ThumbnailCreated on the bus',
    async () =>
      (await local.bus.drain()).find(
        (e) => e.eventType === 'ThumbnailCreated' && e.data.sourceKey === key,
      ),
    { timeoutMs: 20_000, intervalMs: 250 },
  );
  expect(event.data).toMatchObject({
    thumbnailKey,
    width: 128,
    height: 96,
    contentType: 'image/png',
  });
});

it('refuses a corrupt upload with a log line, without retries and without the DLQ', async () => {
  const key = `uploads/e2e-corrupt-${Date.now()}/not-really.jpg`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'just text, named .jpg' }));

  const rejected = await pollUntil(
    'the rejection log line',
    async () =>
      local.shop
        .logsOf('thumbnail')
        .find((line) => line.key === key && /rejected/.test(String(line.message))),
    { timeoutMs: 20_000, intervalMs: 250 },
  );
  expect(rejected.level).toBe('WARN');
  // Acknowledged, not failed: a failed record would stay in flight in the uploads queue until its
  // visibility timeout, then come back; an acknowledged one is deleted.
  const uploadsQueue = await local.shop.queueUrl(`shop-thumbnail-${local.cloud.stage}-uploads`);
  await pollUntil(
    'the corrupt upload to be acknowledged',
    async () => {
      const { Attributes } = await local.shop.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: uploadsQueue,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const left =
        Number(Attributes?.ApproximateNumberOfMessages) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
      return left === 0 ? true : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 250 },
  );
  const attempts = local.shop
    .logsOf('thumbnail')
    .filter((line) => line.key === key && /rejected/.test(String(line.message)));
  expect(attempts).toHaveLength(1);
  const dlq = await local.shop.queueUrl(`shop-thumbnail-${local.cloud.stage}-uploads-dlq`);
  const { Attributes } = await local.shop.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlq,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
});
