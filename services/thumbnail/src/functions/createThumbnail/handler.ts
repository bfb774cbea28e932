import { logger, MetricUnit, metrics } from '@shop/observability';
import { createThumbnail } from '@shop/thumbnail-domain';
import { createThumbnailDependencies } from '../../dependencies';
import { s3NotificationConsumer } from '../../s3NotificationConsumer';

const deps = createThumbnailDependencies();

/**
 * Makes a ≤ 128 px thumbnail of every image uploaded under uploads/ and announces it with
 * ThumbnailCreated. Uploads that can never become one (not an image, unsupported, corrupt,
 * truncated, too large) are logged with their reason, counted in `UploadsRejected{reason}` and
 * acknowledged — retrying the same bytes cannot help. S3 and SNS errors are retried and, after
 * the queue's maxReceiveCount, dead-lettered.
 */
export const handler = s3NotificationConsumer({
  // The slowest image the limits let through (a 40 MP PNG) takes ≈ 3–5 s at 1024 MB
  // (BENCHMARKS.md); the timeout is 30 s, so a record that could not finish is not started.
  minRemainingMs: 8_000,
  handle: async (upload) => {
    if (upload.bucket !== deps.bucket) {
      // Only the media bucket notifies this queue; anything else is a wiring mistake to see.
      logger.warn('notification from another bucket ignored', { mediaBucket: deps.bucket });
      return;
    }
    const started = Date.now();
    const result = await createThumbnail(deps, upload);
    const durationMs = Date.now() - started;
    switch (result.outcome) {
      case 'created':
        logger.info('thumbnail created', { ...result, durationMs });
        metrics.addMetric('ThumbnailsCreated', MetricUnit.Count, 1);
        return;
      case 'already-done':
        logger.info('thumbnail exists for this version; ThumbnailCreated sent again', {
          thumbnailKey: result.thumbnailKey,
          durationMs,
        });
        metrics.addMetric('ThumbnailsAlreadyDone', MetricUnit.Count, 1);
        return;
      case 'rejected': {
        logger.warn('upload rejected: no thumbnail', {
          reason: result.reason,
          detail: result.detail,
          size: upload.size,
          durationMs,
        });
        // Its own metric with the reason as a dimension, for an alarm per kind of rejection.
        const rejected = metrics.singleMetric();
        rejected.addDimension('reason', result.reason);
        rejected.addMetric('UploadsRejected', MetricUnit.Count, 1);
        return;
      }
      case 'ignored':
        logger.info('nothing to do for this object', { detail: result.detail });
        return;
    }
  },
});
