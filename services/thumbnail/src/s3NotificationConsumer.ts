import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { instrumentHandler, logger, MetricUnit, metrics } from '@shop/observability';
import { correlationIdForObject, decodeEventKey } from '@shop/thumbnail-domain';
import type { Context, S3EventRecord, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

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

export interface S3NotificationConsumerOptions {
  /** Handles one created object. Throw to have its message retried (and, in the end, dead-lettered). */
  handle: (object: S3ObjectCreated, context: Context) => Promise<void>;
  /**
   * Records are not started with less time left than this: they are reported as failed and come
   * back after the visibility timeout, instead of the whole batch timing out and being redelivered.
   */
  minRemainingMs?: number;
}

/** Thrown for an SQS body that is no S3 event notification; its message ends in the DLQ. */
export class NotAnS3NotificationError extends Error {
  constructor(detail: string) {
    super(`not an S3 event notification: ${detail}`);
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
 * A Lambda handler for an SQS queue fed by S3 event notifications: each created object is handled
 * with its bucket, decoded key, ETag and a correlation id derived from them in every log line, one
 * at a time (one image in memory at once), and a failed record is reported as a partial batch
 * failure so its batch-mates are not retried with it.
 */
export function s3NotificationConsumer(options: S3NotificationConsumerOptions) {
  const processor = new BatchProcessor(EventType.SQS);
  const minRemainingMs = options.minRemainingMs ?? 0;

  const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const recordHandler = async (record: SQSRecord) => {
      const remaining = context.getRemainingTimeInMillis();
      if (remaining < minRemainingMs) {
        logger.warn('not enough time left for this record; it will come back', {
          messageId: record.messageId,
          remainingMs: remaining,
        });
        throw new Error('not started: too little time left in this invocation');
      }
      let objects: S3ObjectCreated[];
      try {
        objects = objectsCreatedIn(record.body);
      } catch (error) {
        logger.error('unreadable notification; it will go to the DLQ', {
          messageId: record.messageId,
          error: error as Error,
        });
        metrics.addMetric('InvalidNotifications', MetricUnit.Count, 1);
        throw error;
      }
      for (const object of objects) {
        logger.appendKeys({
          correlationId: object.correlationId,
          bucket: object.bucket,
          key: object.key,
          etag: object.etag,
        });
        try {
          await options.handle(object, context);
        } catch (error) {
          logger.error('upload handling failed; it will be retried', error as Error);
          metrics.addMetric('Errors', MetricUnit.Count, 1);
          throw error;
        } finally {
          logger.removeKeys(['correlationId', 'bucket', 'key', 'etag']);
        }
      }
    };
    return processPartialResponse(event, recordHandler, processor, {
      context,
      // Report every failed record rather than throwing, so Lambda deletes what succeeded.
      throwOnFullBatchFailure: false,
      // One image at a time: bounded memory, and log keys that belong to the record at hand.
      processInParallel: false,
    });
  };

  return instrumentHandler(lambdaHandler);
}
