import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CfnProperties } from '../cloudformation/template';

/** One QueueConfiguration of a bucket's NotificationConfiguration. */
export interface QueueNotification {
  bucket: string;
  queueArn: string;
  /** e.g. `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`. */
  event: string;
  prefix: string;
  suffix: string;
  configurationId: string;
}

/** The queue notifications of every provisioned bucket. */
export function queueNotifications(
  buckets: { bucket: string; configuration: CfnProperties }[],
): QueueNotification[] {
  return buckets.flatMap(({ bucket, configuration }) =>
    ((configuration.QueueConfigurations ?? []) as CfnProperties[]).map((queue, index) => {
      const rules = (queue.Filter?.S3Key?.Rules ?? []) as { Name: string; Value: string }[];
      const rule = (name: string) => rules.find((r) => r.Name.toLowerCase() === name)?.Value ?? '';
      return {
        bucket,
        queueArn: String(queue.Queue),
        event: String(queue.Event),
        prefix: rule('prefix'),
        suffix: rule('suffix'),
        configurationId: String(queue.Id ?? `notification-${index + 1}`),
      };
    }),
  );
}

/** The object-created operation an S3 request performs, if any (by S3's REST API shape). */
export function objectCreatedBy(
  req: IncomingMessage,
): { bucket: string; key: string; eventName: string } | undefined {
  const url = new URL(req.url ?? '/', 'http://local');
  const host = String(req.headers.host ?? '').split(':')[0] ?? '';
  // Virtual-hosted style (bucket.s3.localhost) or path style (/bucket/key).
  const virtualBucket = /^[^.]+\.(s3\.)?localhost$/.test(host) ? host.split('.')[0] : undefined;
  const segments = url.pathname.split('/').slice(1);
  const bucket = virtualBucket ?? decodeURIComponent(segments.shift() ?? '');
  const key = segments.map(decodeURIComponent).join('/');
  if (!bucket || !key) return undefined;
  const query = url.searchParams;
  if (
    req.method === 'PUT' &&
    !query.has('partNumber') &&
    !query.has('uploadId') &&
    !hasSubresource(query)
  ) {
    return {
      bucket,
      key,
      eventName: req.headers['x-amz-copy-source'] ? 'ObjectCreated:Copy' : 'ObjectCreated:Put',
    };
  }
  if (req.method === 'POST' && query.has('uploadId')) {
    return { bucket, key, eventName: 'ObjectCreated:CompleteMultipartUpload' };
  }
  return undefined;
}

function hasSubresource(query: URLSearchParams): boolean {
  return ['acl', 'tagging', 'retention', 'legal-hold', 'torrent', 'restore'].some((name) =>
    query.has(name),
  );
}

/** S3 writes keys in events URL-encoded, with `+` for spaces and `/` kept. */
export function eventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

function matches(
  notification: QueueNotification,
  bucket: string,
  key: string,
  eventName: string,
): boolean {
  if (notification.bucket !== bucket) return false;
  const wanted = notification.event.replace(/^s3:/, '');
  const eventMatches = wanted.endsWith(':*')
    ? eventName.startsWith(wanted.slice(0, -1))
    : wanted === eventName;
  return eventMatches && key.startsWith(notification.prefix) && key.endsWith(notification.suffix);
}

/**
 * Delivers S3 event notifications to their queues, in S3's event format, after an object was
 * created through the local AWS endpoint (the emulator stores objects but sends no events).
 */
export class S3NotificationDispatcher {
  #notifications: QueueNotification[] = [];
  #region = 'us-east-1';
  #clients: { s3: S3Client; sqs: SQSClient } | undefined;

  /** @param clientsFor SDK clients for the emulators, in a region (queues live in one). */
  constructor(private readonly clientsFor: (region: string) => { s3: S3Client; sqs: SQSClient }) {}

  /** Sets what to deliver, once the stacks are provisioned. */
  configure(notifications: QueueNotification[], region: string): void {
    this.#notifications = notifications;
    this.#region = region;
    this.#clients = this.clientsFor(region);
  }

  /** Sends the event for a successful object-created request; resolves with how many queues got it. */
  async objectCreated(
    created: { bucket: string; key: string; eventName: string },
    sourceIp: string,
  ): Promise<number> {
    const targets = this.#notifications.filter((n) =>
      matches(n, created.bucket, created.key, created.eventName),
    );
    const clients = this.#clients;
    if (targets.length === 0 || !clients) return 0;
    const head = await clients.s3.send(
      new HeadObjectCommand({ Bucket: created.bucket, Key: created.key }),
    );
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
    for (const target of targets) {
      const record = {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: this.#region,
        eventTime: new Date().toISOString(),
        eventName: created.eventName,
        userIdentity: { principalId: 'AWS:LOCAL' },
        requestParameters: { sourceIPAddress: sourceIp },
        responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': randomUUID() },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: target.configurationId,
          bucket: {
            name: created.bucket,
            ownerIdentity: { principalId: 'LOCAL' },
            arn: `arn:aws:s3:::${created.bucket}`,
          },
          object: {
            key: eventKey(created.key),
            size: head.ContentLength ?? 0,
            eTag: (head.ETag ?? '').replace(/"/g, ''),
            ...(head.VersionId ? { versionId: head.VersionId } : {}),
            sequencer: Date.now().toString(16).toUpperCase().padStart(16, '0'),
          },
        },
      };
      const queueName = target.queueArn.split(':').at(-1) ?? '';
      const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
      await clients.sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ Records: [record] }) }),
      );
    }
    return targets.length;
  }
}
