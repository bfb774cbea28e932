import { countBy, logger, MetricUnit, metrics } from '@shop/observability';
import { createThumbnail } from '@shop/thumbnail-domain';
import { createThumbnailDependencies } from '../../dependencies';
import { s3NotificationConsumer } from '../../s3NotificationConsumer';

const deps = createThumbnailDependencies();

/** What each outcome but a rejection logs, and the metric it counts. */
const REPORTS = {
  created: ['thumbnail created', 'ThumbnailsCreated'],
  'already-done': [
    'thumbnail exists for this version; ThumbnailCreated sent again',
    'ThumbnailsAlreadyDone',
  ],
  ignored: ['nothing to do for this object', undefined],
} as const;

/**
 * Makes a ≤ 128 px thumbnail of every image uploaded under uploads/ and announces it with
 * ThumbnailCreated. Uploads that can never become one (not an image, unsupported, corrupt,
 * truncated, too large) are logged with their reason, counted in `UploadsRejected{reason}` and
 * acknowledged — retrying the same bytes cannot help. Unreadable notifications go to the DLQ at
 * once; S3 and SNS errors are retried and, after the queue's maxReceiveCount, dead-lettered.
 */
export const handler = s3NotificationConsumer({
  bucket: deps.bucket,
  deadLetterQueueUrl: process.env.UPLOADS_DLQ_URL,
  // The slowest images the limits let through take ≈ 3–5 s at 1024 MB (a 40 MP PNG) and about
  // 7–9 s (a 12 MP AVIF: 4.3–5.1 s on one core here, BENCHMARKS.md); the timeout is 30 s, so a
  // record that could not finish is not started.
  minRemainingMs: 10_000,
  handle: async (upload) => {
    const result = await createThumbnail(deps, upload);
    if (result.outcome === 'rejected') {
      logger.warn('upload rejected: no thumbnail', { ...result, size: upload.size });
      countBy('UploadsRejected', 'reason', result.reason);
      return;
    }
    const [message, metric] = REPORTS[result.outcome];
    logger.info(message, result);
    if (metric) metrics.addMetric(metric, MetricUnit.Count, 1);
  },
});
