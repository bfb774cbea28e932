import type { IncomingMessage } from 'node:http';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  eventKey,
  objectCreatedBy,
  type QueueNotification,
  queueNotifications,
  S3NotificationDispatcher,
} from '../../src/gateway/s3Notifications';
import { type FakeAnswers, fakeAwsClients } from '../helpers/fakeAwsClients';

const request = (method: string, url: string, headers: Record<string, string> = {}) =>
  ({ method, url, headers: { host: '127.0.0.1:4566', ...headers } }) as unknown as IncomingMessage;

const notification = (overrides: Partial<QueueNotification> = {}): QueueNotification => ({
  bucket: 'media',
  queueArn: 'arn:aws:sqs:eu-west-1:000000000000:uploads',
  event: 's3:ObjectCreated:*',
  prefix: 'uploads/',
  suffix: '',
  configurationId: 'thumbnails',
  ...overrides,
});

describe('Function: queueNotifications', () => {
  it('reads each queue configuration with its key filter, whatever the rule names’ case', () => {
    // Act
    const notifications = queueNotifications([
      {
        bucket: 'media',
        configuration: {
          QueueConfigurations: [
            {
              Id: 'thumbnails',
              Event: 's3:ObjectCreated:*',
              Queue: 'arn:aws:sqs:eu-west-1:000000000000:uploads',
              Filter: {
                S3Key: {
                  Rules: [
                    { Name: 'Prefix', Value: 'uploads/' },
                    { Name: 'suffix', Value: '.jpg' },
                  ],
                },
              },
            },
            { Event: 's3:ObjectCreated:Put', Queue: 'arn:aws:sqs:eu-west-1:000000000000:all' },
          ],
        },
      },
      { bucket: 'no-notifications', configuration: {} },
    ]);

    // Assess
    expect(notifications).toEqual([
      notification({ suffix: '.jpg' }),
      notification({
        queueArn: 'arn:aws:sqs:eu-west-1:000000000000:all',
        event: 's3:ObjectCreated:Put',
        prefix: '',
        configurationId: 'notification-2',
      }),
    ]);
  });
});

describe('Function: objectCreatedBy', () => {
  it.each([
    ['PUT', '/media/uploads/a.jpg', {}, 'media', 'uploads/a.jpg', 'ObjectCreated:Put'],
    [
      'PUT',
      '/media/uploads/copy.jpg',
      { 'x-amz-copy-source': '/media/uploads/a.jpg' },
      'media',
      'uploads/copy.jpg',
      'ObjectCreated:Copy',
    ],
    [
      'POST',
      '/media/uploads/big.bin?uploadId=u1',
      {},
      'media',
      'uploads/big.bin',
      'ObjectCreated:CompleteMultipartUpload',
    ],
    [
      'PUT',
      '/media/uploads/my%20photo.jpg',
      {},
      'media',
      'uploads/my photo.jpg',
      'ObjectCreated:Put',
    ],
    [
      'PUT',
      '/uploads/a.jpg',
      { host: 'media.s3.localhost:4566' },
      'media',
      'uploads/a.jpg',
      'ObjectCreated:Put',
    ],
  ])('sees %s %s as an object created', (method, url, headers, bucket, key, eventName) => {
    expect(objectCreatedBy(request(method, url, headers))).toEqual({ bucket, key, eventName });
  });

  it.each([
    ['GET', '/media/uploads/a.jpg'],
    ['DELETE', '/media/uploads/a.jpg'],
    ['PUT', '/media'],
    ['PUT', '/media/uploads/big.bin?partNumber=1&uploadId=u1'],
    ['PUT', '/media/uploads/a.jpg?tagging'],
    ['PUT', '/media/uploads/a.jpg?acl'],
    ['POST', '/media/uploads/big.bin?uploads'],
  ])('does not see %s %s as an object created', (method, url) => {
    expect(objectCreatedBy(request(method, url))).toBeUndefined();
  });
});

describe('Function: eventKey', () => {
  it('URL-encodes the key as S3 events do: + for spaces, slashes kept', () => {
    expect(eventKey('uploads/my photo.jpg')).toBe('uploads/my+photo.jpg');
    expect(eventKey('uploads/ä&b.jpg')).toBe('uploads/%C3%A4%26b.jpg');
  });
});

describe('Class: S3NotificationDispatcher', () => {
  const answers: FakeAnswers = {
    HeadObjectCommand: () => ({ ContentLength: 42, ETag: '"abc123"', VersionId: 'v1' }),
    GetQueueUrlCommand: ({ QueueName }) => ({
      QueueUrl: `http://127.0.0.1:4566/000000000000/${QueueName}`,
    }),
  };

  function dispatcher(notifications: QueueNotification[]) {
    const { clients, sent } = fakeAwsClients(answers);
    const regions: string[] = [];
    const dispatch = new S3NotificationDispatcher((region) => {
      regions.push(region);
      return { s3: clients.s3 as S3Client, sqs: clients.sqs as SQSClient };
    });
    dispatch.configure(notifications, 'eu-west-1');
    const sentEvents = () =>
      sent
        .filter(({ command }) => command === 'SendMessageCommand')
        .map(({ input }) => ({
          queueUrl: input.QueueUrl,
          records: JSON.parse(String(input.MessageBody)).Records,
        }));
    return { dispatch, sent, sentEvents, regions };
  }

  it('sends an S3 event record to each queue whose rules match', async () => {
    // Prepare
    const { dispatch, sentEvents, regions } = dispatcher([
      notification(),
      notification({ queueArn: 'arn:aws:sqs:eu-west-1:000000000000:audit', prefix: '' }),
    ]);

    // Act
    const delivered = await dispatch.objectCreated(
      { bucket: 'media', key: 'uploads/my photo.jpg', eventName: 'ObjectCreated:Put' },
      '127.0.0.1',
    );

    // Assess
    expect(delivered).toBe(2);
    expect(regions).toEqual(['eu-west-1']);
    const events = sentEvents();
    expect(events.map((event) => event.queueUrl)).toEqual([
      'http://127.0.0.1:4566/000000000000/uploads',
      'http://127.0.0.1:4566/000000000000/audit',
    ]);
    expect(events[0]?.records).toEqual([
      expect.objectContaining({
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventName: 'ObjectCreated:Put',
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        s3: expect.objectContaining({
          configurationId: 'thumbnails',
          bucket: expect.objectContaining({ name: 'media', arn: 'arn:aws:s3:::media' }),
          object: expect.objectContaining({
            key: 'uploads/my+photo.jpg',
            size: 42,
            eTag: 'abc123',
            versionId: 'v1',
          }),
        }),
      }),
    ]);
  });

  it.each([
    ['another bucket', { bucket: 'other', key: 'uploads/a.jpg', eventName: 'ObjectCreated:Put' }],
    [
      'a key outside the prefix',
      { bucket: 'media', key: 'thumbnails/a.jpg', eventName: 'ObjectCreated:Put' },
    ],
    [
      'a key without the suffix',
      { bucket: 'media', key: 'uploads/a.png', eventName: 'ObjectCreated:Put' },
    ],
    ['another event', { bucket: 'media', key: 'uploads/a.jpg', eventName: 'ObjectCreated:Copy' }],
  ])('sends nothing for %s', async (_case, created) => {
    // Prepare
    const { dispatch, sent } = dispatcher([
      notification({ suffix: '.jpg', event: 's3:ObjectCreated:Put' }),
    ]);

    // Act
    const delivered = await dispatch.objectCreated(created, '127.0.0.1');

    // Assess
    expect(delivered).toBe(0);
    expect(sent).toEqual([]);
  });

  it('matches a wildcard event on every object-created operation', async () => {
    // Prepare
    const { dispatch } = dispatcher([notification({ event: 's3:ObjectCreated:*' })]);

    // Act
    const delivered = await Promise.all(
      ['ObjectCreated:Put', 'ObjectCreated:Copy', 'ObjectCreated:CompleteMultipartUpload'].map(
        (eventName) =>
          dispatch.objectCreated({ bucket: 'media', key: 'uploads/a', eventName }, 'ip'),
      ),
    );

    // Assess
    expect(delivered).toEqual([1, 1, 1]);
  });

  it('sends nothing before it is configured', async () => {
    // Prepare
    const dispatch = new S3NotificationDispatcher(() => {
      throw new Error('no clients before configure');
    });

    // Act & Assess
    await expect(
      dispatch.objectCreated(
        { bucket: 'media', key: 'uploads/a.jpg', eventName: 'ObjectCreated:Put' },
        '127.0.0.1',
      ),
    ).resolves.toBe(0);
  });
});
