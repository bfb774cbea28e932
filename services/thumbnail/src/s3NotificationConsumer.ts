import {
  LambdaSqsInvalidRecordError,
  type SqsBatchConsumerOptions,
  type SqsRecordParser,
  sqsBatchConsumer,
} from '@shop/lambda-sqs';
import { logger } from '@shop/observability';
import { correlationIdForObject, decodeEventKey } from '@shop/thumbnail-domain';
import type { Context, S3EventRecord } from 'aws-lambda';

/** One object-created notification, its key decoded. */
export interface S3ObjectCreated {
  bucket: string;
  /** Decoded: spaces, `+` and unicode as the uploader wrote them. */
  key: string;
  etag: string;
  size?: number;
  eventName: string;
  /** Stable across redeliveries of this notification (see `correlationIdForObject`). */
  correlationId: string;
}

/**
 * Thrown for an SQS body that is no S3 event notification. Retrying the same body cannot help, so
 * the consumer sends it to the DLQ at once and acknowledges it.
 */
export class NotAnS3NotificationError extends LambdaSqsInvalidRecordError {
  constructor(detail: string) {
    super(`not an S3 event notification: ${detail}`, {
      metric: 'InvalidNotifications',
      logMessage: 'rejected an unreadable notification; it will go to the DLQ',
    });
    this.name = 'NotAnS3NotificationError';
  }
}

/** The object-created records of an SQS body; an S3 test event has none. */
export function objectsCreatedIn(body: string): S3ObjectCreated[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new NotAnS3NotificationError('the body is not JSON');
  }
  const notification = parsed as { Event?: unknown; Records?: unknown };
  // Sent once when the notification is configured.
  if (notification?.Event === 's3:TestEvent') return [];
  if (!Array.isArray(notification?.Records)) throw new NotAnS3NotificationError('no Records');
  return (notification.Records as Partial<S3EventRecord>[])
    .filter(
      (record) => record.eventSource === 'aws:s3' && record.eventName?.startsWith('ObjectCreated:'),
    )
    .map((record) => {
      const bucket = record.s3?.bucket?.name;
      const rawKey = record.s3?.object?.key;
      if (!bucket || !rawKey) throw new NotAnS3NotificationError('a record without bucket or key');
      let key: string;
      try {
        key = decodeEventKey(rawKey);
      } catch {
        throw new NotAnS3NotificationError(`the key ${JSON.stringify(rawKey)} is not URL-encoded`);
      }
      const etag = (record.s3?.object?.eTag ?? '').replace(/"/g, '');
      const size = record.s3?.object?.size;
      return {
        bucket,
        key,
        etag,
        ...(typeof size === 'number' ? { size } : {}),
        eventName: record.eventName ?? '',
        correlationId: correlationIdForObject(bucket, key, etag),
      };
    });
}

/**
 * Reads the created objects of an S3 notification delivered by SQS, keeping those of `bucket`;
 * each object's bucket, decoded key, ETag and correlation id go on every log line.
 *
 * @example
 * ```ts
 * const uploads = s3NotificationParser('shop-thumbnail-dev-media-123456789012').parse(record);
 * ```
 */
export function s3NotificationParser(bucket?: string): SqsRecordParser<S3ObjectCreated> {
  return {
    parse: (record) =>
      objectsCreatedIn(record.body).filter((object) => {
        if (!bucket || object.bucket === bucket) return true;
        // Only the media bucket notifies this queue; anything else is a wiring mistake to see.
        logger.warn('notification from another bucket ignored', {
          messageId: record.messageId,
          bucket: object.bucket,
          mediaBucket: bucket,
        });
        return false;
      }),
    logKeys: (object) => ({
      correlationId: object.correlationId,
      bucket: object.bucket,
      key: object.key,
      etag: object.etag,
    }),
  };
}

export type S3NotificationConsumerOptions = Omit<
  SqsBatchConsumerOptions<S3ObjectCreated>,
  'parser' | 'itemName' | 'handle'
> & {
  /** Objects created in another bucket are logged and skipped. */
  bucket?: string;
  /** Handles one created object. Throw to have its message retried (and, in the end, dead-lettered). */
  handle: (object: S3ObjectCreated, context: Context) => Promise<void>;
};

/**
 * A Lambda handler for an SQS queue fed by S3 event notifications: `sqsBatchConsumer` with the S3
 * notification parser. Each created object is handled with its bucket, decoded key, ETag and
 * correlation id in every log line, one at a time (one image in memory at once); a failed record
 * is reported as a partial batch failure so its batch-mates are not retried with it, and an
 * unreadable one goes to `deadLetterQueueUrl` at once.
 *
 * @example
 * ```ts
 * export const handler = s3NotificationConsumer({
 *   bucket: deps.bucket,
 *   deadLetterQueueUrl: process.env.UPLOADS_DLQ_URL,
 *   handle: async (upload) => { await createThumbnail(deps, upload); },
 * });
 * ```
 */
export function s3NotificationConsumer(options: S3NotificationConsumerOptions) {
  const { bucket, handle, ...rest } = options;
  return sqsBatchConsumer({
    ...rest,
    parser: s3NotificationParser(bucket),
    itemName: 'upload',
    handle: (object, _record, context) => handle(object, context),
  });
}
