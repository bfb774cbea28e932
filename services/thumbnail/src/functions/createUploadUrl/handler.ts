import { httpHandler, json } from '@shop/lambda-http';
import { logger, MetricUnit, metrics } from '@shop/observability';
import { createUploadUrl } from '@shop/thumbnail-domain';
import { createUploadDependencies } from '../../dependencies';
import {
  type CreateUploadResponse,
  createUploadRequestSchema,
  parseUploadRequest,
} from '../../schemas';

const { config, deps } = createUploadDependencies();
const RequestSchema = createUploadRequestSchema(config.limits.maxBytes);

/**
 * POST /uploads — a presigned PUT URL for one image under uploads/<uuid>/<file name>, its content
 * type and exact size signed. The thumbnail follows through the bucket's notification.
 * For administrators: uploads are product images.
 */
export const handler = httpHandler(
  async ({ body }) => {
    const issued = await createUploadUrl(deps, parseUploadRequest(RequestSchema, body));
    metrics.addMetric('UploadUrlsIssued', MetricUnit.Count, 1);
    logger.info('upload URL issued', { key: issued.key, ...issued.upload.headers });
    const response: CreateUploadResponse = {
      ...issued,
      upload: { ...issued.upload, expiresAt: issued.upload.expiresAt.toISOString() },
    };
    return json(201, response);
  },
  { access: 'admin' },
);
