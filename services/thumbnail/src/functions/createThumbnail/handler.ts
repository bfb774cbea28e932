import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { instrumentHandler, logger } from '@shop/observability';
import type { Context, S3Event, SQSEvent, SQSRecord } from 'aws-lambda';

const processor = new BatchProcessor(EventType.SQS);

/**
 * Receives S3 object-created notifications for uploads/. For now it logs the uploaded keys and
 * acknowledges them; making the thumbnail arrives with the thumbnail issue.
 */
async function logUpload(record: SQSRecord): Promise<void> {
  const notification = JSON.parse(record.body) as Partial<S3Event> & { Event?: string };
  if (notification.Event === 's3:TestEvent') return;
  for (const s3Record of notification.Records ?? []) {
    // Keys arrive URL-encoded with '+' for spaces.
    const key = decodeURIComponent(s3Record.s3.object.key.replace(/\+/g, ' '));
    logger.info('upload received', { bucket: s3Record.s3.bucket.name, key });
  }
}

export const handler = instrumentHandler(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, logUpload, processor, { context, throwOnFullBatchFailure: false }),
);
