import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { buildEvent, eventCatalogue } from '@shop/contracts';
import type { CfnProperties } from '../../src/cloudformation/template';
import { LocalSignIn } from '../../src/identity/localIdentity';
import { pollUntil } from '../../src/net';
import { findRepoRoot, serviceDirs } from '../../src/services/workspace';
import {
  type LocalCloudProcess,
  startLocalCloudProcess,
} from '../../src/testing/localCloudProcess';
import { itWithAwsCli } from '../helpers/awsCli';

// The local cloud as a whole: every service plus a probe service whose function records each
// delivery, booted the way `pnpm dev` boots it.

jest.setTimeout(240_000);

const PROBE_DIR = join(__dirname, '..', 'fixtures', 'probe');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let cloud: LocalCloudProcess;
let sqs: SQSClient;
let sns: SNSClient;
let s3: S3Client;
let topicArn: string;

beforeAll(async () => {
  cloud = await startLocalCloudProcess({ with: [PROBE_DIR] });
  const config = { endpoint: cloud.awsEndpoint, region: cloud.region, credentials };
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
  s3 = new S3Client({ ...config, forcePathStyle: true });
  topicArn = `arn:aws:sns:${cloud.region}:000000000000:shop-events-${cloud.stage}`;
});

afterAll(async () => {
  await cloud?.stop();
});

/** JSON log lines a service printed (the CLI prefixes them with `[service] `). */
function logsOf(service: string): Record<string, unknown>[] {
  const prefix = `[${service}] {`;
  return cloud
    .output()
    .filter((line) => line.startsWith(prefix))
    .map((line) => JSON.parse(line.slice(service.length + 3)));
}

const queueUrl = async (name: string) =>
  (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;

/** Drains the probe's observations until `done` says enough was seen, or the deadline passes. */
async function observe(
  done: (seen: { id: string; receiveCount: number; batchSize: number }[]) => boolean,
) {
  const url = await queueUrl(`shop-probe-${cloud.stage}-observations`);
  const seen: { id: string; receiveCount: number; batchSize: number }[] = [];
  await pollUntil(
    'probe observations',
    async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      seen.push(...Messages.map((m) => JSON.parse(m.Body ?? '{}')));
      return done(seen) ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 0 },
  );
  return seen;
}

async function sendToProbe(records: { id: string; fail: boolean | 'throw' }[]) {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: await queueUrl(`shop-probe-${cloud.stage}-probe`),
      Entries: records.map((record, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(record),
      })),
    }),
  );
}

describe('Local cloud', () => {
  it('fans events out to the queues whose filter policy names them, and only those', async () => {
    const orderCreated = buildEvent('OrderCreated', eventCatalogue.OrderCreated.example, {
      correlationId: 'fanout-test',
    });
    const inventoryUpdated = buildEvent(
      'InventoryUpdated',
      eventCatalogue.InventoryUpdated.example,
      {
        correlationId: 'fanout-test',
      },
    );
    for (const event of [orderCreated, inventoryUpdated]) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(event),
          MessageAttributes: { eventType: { DataType: 'String', StringValue: event.eventType } },
        }),
      );
    }

    const handledBy = (eventId: string) =>
      ['inventory', 'payment', 'notification', 'analytics'].filter((service) =>
        logsOf(service).some(
          (line) => line.message === 'event handled' && line.eventId === eventId,
        ),
      );
    await pollUntil(
      'both events handled',
      async () =>
        handledBy(orderCreated.eventId).length >= 2 &&
        handledBy(inventoryUpdated.eventId).length >= 1
          ? true
          : undefined,
      { timeoutMs: 20_000 },
    );

    expect(handledBy(orderCreated.eventId)).toEqual(['inventory', 'payment']);
    expect(handledBy(inventoryUpdated.eventId)).toEqual(['analytics']);
  });

  it('redelivers only the records a function reports as failed, after the visibility timeout', async () => {
    await sendToProbe([
      { id: 'partial-ok-1', fail: false },
      { id: 'partial-bad', fail: true },
      { id: 'partial-ok-2', fail: false },
    ]);

    const seen = await observe((s) => s.filter((o) => o.id === 'partial-bad').length >= 2);

    expect(seen.filter((o) => o.id === 'partial-ok-1')).toHaveLength(1);
    expect(seen.filter((o) => o.id === 'partial-ok-2')).toHaveLength(1);
    const retries = seen.filter((o) => o.id === 'partial-bad').map((o) => o.receiveCount);
    expect(retries.slice(0, 2)).toEqual([1, 2]);
  });

  it('moves a message that always fails to the DLQ after maxReceiveCount, losing nothing', async () => {
    await sendToProbe([
      { id: 'poison', fail: 'throw' },
      { id: 'poison-batch-mate', fail: false },
    ]);

    const dlqUrl = await queueUrl(`shop-probe-${cloud.stage}-probe-dlq`);
    const dead = await pollUntil(
      'the poison message in the DLQ',
      async () => {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: dlqUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
          }),
        );
        const bodies = Messages.map((m) => JSON.parse(m.Body ?? '{}'));
        return bodies.some((b) => b.id === 'poison') ? bodies : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 0 },
    );
    const seen = await observe((s) => s.filter((o) => o.id === 'poison').length >= 3);

    // A thrown error fails the whole batch, so the batch-mate comes back too until they part ways.
    expect(
      seen
        .filter((o) => o.id === 'poison')
        .map((o) => o.receiveCount)
        .slice(0, 3),
    ).toEqual([1, 2, 3]);
    expect(dead.map((b) => b.id)).toContain('poison');
    const probeAttributes = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: await queueUrl(`shop-probe-${cloud.stage}-probe`),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const stillQueued =
      Number(probeAttributes.Attributes?.ApproximateNumberOfMessages) +
      Number(probeAttributes.Attributes?.ApproximateNumberOfMessagesNotVisible);
    const mateAccountedFor = dead.some((b) => b.id === 'poison-batch-mate') || stillQueued === 0;
    expect(mateAccountedFor).toBe(true);
  });

  it('delivers S3 notifications for uploads under the notified prefix only, whoever uploads', async () => {
    const bucket = `shop-thumbnail-${cloud.stage}-media-000000000000`;
    const stamp = Date.now();
    const sdkKey = `uploads/sdk ${stamp}+1.jpg`;
    const presignedKey = `uploads/presigned-${stamp}.png`;
    const elsewhereKey = `elsewhere/${stamp}.jpg`;

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: sdkKey, Body: 'not really a jpeg' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: elsewhereKey, Body: 'x' }));
    const url = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: bucket, Key: presignedKey }),
      {
        expiresIn: 60,
      },
    );
    const presignedPut = await fetch(url, { method: 'PUT', body: 'png bytes' });
    expect(presignedPut.status).toBe(200);

    // Every line the thumbnail function logs about an object carries its key.
    const uploads = () => logsOf('thumbnail').map((line) => line.key);
    await pollUntil(
      'both uploads at the thumbnail function',
      async () =>
        uploads().includes(sdkKey) && uploads().includes(presignedKey) ? true : undefined,
      { timeoutMs: 20_000 },
    );
    expect(uploads()).not.toContain(elsewhereKey);
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: presignedKey }));
    expect(await stored.Body?.transformToString()).toBe('png bytes');
  });

  itWithAwsCli('accepts uploads from the official AWS CLI', async (cli) => {
    const version = execFileSync(cli, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const key = `uploads/cli ${Date.now()}.jpg`;
    execFileSync(
      cli,
      [
        '--endpoint-url',
        cloud.awsEndpoint,
        's3',
        'cp',
        join(PROBE_DIR, 'handler.js'),
        `s3://shop-thumbnail-${cloud.stage}-media-000000000000/${key}`,
      ],
      {
        env: {
          ...process.env,
          ...{
            AWS_ACCESS_KEY_ID: 'cli',
            AWS_SECRET_ACCESS_KEY: 'cli',
            AWS_DEFAULT_REGION: cloud.region,
          },
        },
        stdio: 'ignore',
      },
    );

    await pollUntil(
      `the CLI upload at the thumbnail function (${version.trim()})`,
      async () => (logsOf('thumbnail').some((line) => line.key === key) ? true : undefined),
      { timeoutMs: 20_000 },
    );
  });

  it('answers the order API and the merged OpenAPI document through the single base URL', async () => {
    const identity = new LocalSignIn(cloud.awsEndpoint, cloud.region, cloud.stage, findRepoRoot());
    const list = await fetch(`${cloud.baseUrl}/orders`, {
      headers: await identity.headers(`nobody-${Date.now()}@example.com`),
    });
    const anonymous = await fetch(`${cloud.baseUrl}/orders`);
    const openApi = (await (await fetch(`${cloud.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    const unknown = await fetch(`${cloud.baseUrl}/no-such-route`);

    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ items: [] });
    expect(anonymous.status).toBe(401);
    expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/orders', '/orders/{id}']));
    expect(unknown.status).toBe(404);
  });

  it('runs every subscription, event source mapping, DLQ and bucket notification the packaged templates declare', async () => {
    const templates = [...serviceDirs(findRepoRoot(__dirname)), PROBE_DIR].map((dir) => ({
      dir,
      template: JSON.parse(
        readFileSync(join(dir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
      ) as {
        Resources: Record<string, { Type: string; Properties?: CfnProperties }>;
      },
    }));
    const declared = (type: string) =>
      templates.flatMap(({ template }) =>
        Object.values(template.Resources).filter((r) => r.Type === type),
      );

    // Subscriptions: same queue, filter policy and raw delivery.
    const { Subscriptions = [] } = await sns.send(new ListSubscriptionsCommand({}));
    const running = await Promise.all(
      Subscriptions.map(async (s) => ({
        endpoint: s.Endpoint,
        attributes:
          (
            await sns.send(
              new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }),
            )
          ).Attributes ?? {},
      })),
    );
    for (const { template } of templates) {
      for (const subscription of Object.values(template.Resources).filter(
        (r) => r.Type === 'AWS::SNS::Subscription',
      )) {
        const queueLogicalId = subscription.Properties?.Endpoint['Fn::GetAtt'][0];
        const queueName = template.Resources[queueLogicalId]?.Properties?.QueueName;
        const match = running.find((r) => r.endpoint?.endsWith(`:${queueName}`));
        expect({ queueName, found: Boolean(match) }).toEqual({ queueName, found: true });
        expect(JSON.parse(match?.attributes.FilterPolicy ?? '{}')).toEqual(
          subscription.Properties?.FilterPolicy,
        );
        expect(match?.attributes.RawMessageDelivery).toBe('true');
      }
    }

    // Event source mappings: one poller each.
    const mappings = declared('AWS::Lambda::EventSourceMapping');
    expect(cloud.eventSources).toHaveLength(mappings.length);

    // DLQs: every queue with a redrive policy has it in the emulator.
    for (const { template } of templates) {
      for (const queue of Object.values(template.Resources).filter(
        (r) => r.Type === 'AWS::SQS::Queue',
      )) {
        if (!queue.Properties?.RedrivePolicy) continue;
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: await queueUrl(queue.Properties.QueueName),
            AttributeNames: ['RedrivePolicy'],
          }),
        );
        const redrive = JSON.parse(Attributes?.RedrivePolicy ?? '{}');
        const dlqLogicalId = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
        expect(redrive.deadLetterTargetArn).toMatch(
          new RegExp(`:${template.Resources[dlqLogicalId]?.Properties?.QueueName}$`),
        );
        expect(Number(redrive.maxReceiveCount)).toBe(
          queue.Properties.RedrivePolicy.maxReceiveCount,
        );
      }
    }

    // Bucket notifications: delivered by the local cloud, one per queue configuration.
    const notifications = declared('AWS::S3::Bucket').flatMap(
      (b) => b.Properties?.NotificationConfiguration?.QueueConfigurations ?? [],
    );
    expect(cloud.bucketNotifications).toHaveLength(notifications.length);
    expect(cloud.bucketNotifications[0]).toMatchObject({
      prefix: 'uploads/',
      event: 's3:ObjectCreated:*',
    });
  });

  it('listens on 127.0.0.1 only, on every port it opened', () => {
    const ports = new Set([
      Number(new URL(cloud.baseUrl).port),
      Number(new URL(cloud.awsEndpoint).port),
      ...cloud.emulators.map((e) => e.port),
      ...cloud.services.flatMap((s) => [s.httpPort, s.lambdaPort]),
    ]);
    // The kernel's table of listening TCP sockets (state 0A): local address and port, in hex.
    const listening = ['/proc/net/tcp', '/proc/net/tcp6']
      .filter((file) => existsSync(file))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A')
      .map((fields) => {
        const [address = '', port = ''] = (fields[1] ?? '').split(':');
        return { address, port: Number.parseInt(port, 16) };
      })
      .filter(({ port }) => ports.has(port));
    const loopback = (hex: string) =>
      hex === '0100007F' ||
      hex === '00000000000000000000000001000000' ||
      hex === '0000000000000000FFFF00000100007F';

    // Every port that must be open is found (services without an HTTP API open no HTTP port).
    const mustListen = [
      Number(new URL(cloud.baseUrl).port),
      Number(new URL(cloud.awsEndpoint).port),
      ...cloud.emulators.map((e) => e.port),
      ...cloud.services.map((s) => s.lambdaPort),
    ];
    expect(mustListen.filter((port) => !listening.some((l) => l.port === port))).toEqual([]);
    expect(listening.filter(({ address }) => !loopback(address))).toEqual([]);
  });

  it('fires scheduled functions', async () => {
    await pollUntil(
      'the order sweeper to run on its schedule',
      async () =>
        cloud
          .output()
          .some((line) =>
            line.includes('Successfully invoked scheduled function: [publishPendingOrders]'),
          )
          ? true
          : undefined,
      { timeoutMs: 75_000, intervalMs: 500 },
    );
  });
});
