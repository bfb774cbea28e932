import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { type LocalCloudProcess, pollUntil, startLocalCloudProcess } from '@shop/local-cloud';
import { type BusTap, Shop } from './helpers';

// Thumbnails on the local cloud: an upload (through the official AWS CLI when it is installed, the
// SDK otherwise) becomes a thumbnail and a ThumbnailCreated event; a corrupt upload costs a log
// line, is not retried, and nothing lands in the DLQ.

jest.setTimeout(240_000);

let cloud: LocalCloudProcess;
let shop: Shop;
let s3: S3Client;
let bus: BusTap;
let bucket: string;

beforeAll(async () => {
  cloud = await startLocalCloudProcess();
  shop = new Shop(cloud);
  bus = await shop.tapTheBus('thumbnail-tests-bus-tap');
  s3 = new S3Client({
    endpoint: cloud.awsEndpoint,
    region: cloud.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  bucket = `shop-thumbnail-${cloud.stage}-media-000000000000`;
});

afterAll(async () => {
  await cloud?.stop();
});

/** A small PNG (zlib-compressed RGB rows), so the test needs no image library. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (data: Buffer) => {
    let c = 0xffffffff;
    for (const byte of data) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const rows = Buffer.alloc((1 + width * 3) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (1 + width * 3)] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function uploadWithCli(file: string, key: string): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
  } catch {
    return false;
  }
  execFileSync(
    'aws',
    ['--endpoint-url', cloud.awsEndpoint, 's3', 'cp', file, `s3://${bucket}/${key}`],
    {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'cli',
        AWS_SECRET_ACCESS_KEY: 'cli',
        AWS_DEFAULT_REGION: cloud.region,
      },
      stdio: 'ignore',
    },
  );
  return true;
}

it('turns an upload into a thumbnail under thumbnails/ and announces it', async () => {
  const key = `uploads/e2e ${Date.now()}/coffee+cup é.png`;
  const file = join(mkdtempSync(join(tmpdir(), 'thumb-')), 'coffee.png');
  writeFileSync(file, png(640, 480));
  if (!uploadWithCli(file, key)) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: png(640, 480),
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
      (await bus.drain()).find(
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
      shop
        .logsOf('thumbnail')
        .find((line) => line.key === key && /rejected/.test(String(line.message))),
    { timeoutMs: 20_000, intervalMs: 250 },
  );
  expect(rejected.level).toBe('WARN');
  // Handled once: the record was acknowledged, not failed.
  const attempts = shop
    .logsOf('thumbnail')
    .filter((line) => line.key === key && /rejected/.test(String(line.message)));
  expect(attempts).toHaveLength(1);
  const dlq = await shop.queueUrl(`shop-thumbnail-${cloud.stage}-uploads-dlq`);
  const { Attributes } = await shop.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlq,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
});
