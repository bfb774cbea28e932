import { sqsRecord } from '@shop/testing';

export const BUCKET = 'shop-thumbnail-test-media-123456789012';

/** How S3 writes a key into an event: URL-encoded, `+` for spaces, `/` kept. */
export const eventKey = (key: string) =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');

/** The SQS record S3 sends for one created object. */
export function s3NotificationRecord(
  key: string,
  options: {
    etag?: string;
    size?: number;
    messageId?: string;
    eventName?: string;
    bucket?: string;
  } = {},
) {
  return sqsRecord(
    {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'eu-west-1',
          eventTime: '2026-11-27T10:00:00.000Z',
          eventName: options.eventName ?? 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:EXAMPLE' },
          requestParameters: { sourceIPAddress: '192.0.2.1' },
          responseElements: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'ID2' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'uploads',
            bucket: {
              name: options.bucket ?? BUCKET,
              ownerIdentity: { principalId: 'OWNER' },
              arn: `arn:aws:s3:::${options.bucket ?? BUCKET}`,
            },
            object: {
              key: eventKey(key),
              size: options.size ?? 1000,
              eTag: options.etag ?? 'd41d8cd98f00b204e9800998ecf8427e',
              sequencer: '0055AED6DCD90281E5',
            },
          },
        },
      ],
    },
    options.messageId ? { messageId: options.messageId } : {},
  );
}
