import { randomUUID } from 'node:crypto';
import { badRequest, httpHandler, json } from '@shop/lambda-http';
import { logger, MetricUnit, metrics } from '@shop/observability';
import { thumbnailKeyFor, uploadKeyFor } from '@shop/thumbnail-domain';
import { createUploadDependencies } from '../../dependencies';
import { type CreateUploadResponse, createUploadRequestSchema } from '../../schemas';

const { config, signer } = createUploadDependencies();
const RequestSchema = createUploadRequestSchema(config.limits.maxBytes);

/**
 * POST /uploads — a presigned PUT URL for one image under uploads/<uuid>/<file name>, its content
 * type and exact size signed. The thumbnail follows through the bucket's notification.
 * For administrators: uploads are product images.
 */
export const handler = httpHandler(
  async ({ body }) => {
    const parsed = RequestSchema.safeParse(body);
    if (!parsed.success) {
      throw badRequest(
        'the request has invalid fields',
        parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.') || 'body',
          message: issue.message,
        })),
      );
    }
    const { fileName, contentType, contentLength } = parsed.data;
    const uploadId = randomUUID();
    const key = uploadKeyFor(uploadId, fileName, config.prefixes.uploadPrefix);
    const upload = await signer.presignPut(key, {
      contentType,
      contentLength,
      expiresInSeconds: config.uploadUrlTtlSeconds,
    });
    metrics.addMetric('UploadUrlsIssued', MetricUnit.Count, 1);
    logger.info('upload URL issued', { key, contentType, contentLength });
    const response: CreateUploadResponse = {
      uploadId,
      key,
      thumbnailKey: thumbnailKeyFor(key, config.prefixes) ?? '',
      upload: {
        url: upload.url,
        method: upload.method,
        headers: {
          'Content-Type': contentType,
          'Content-Length': upload.headers['Content-Length'],
        },
        expiresAt: upload.expiresAt.toISOString(),
      },
    };
    return json(201, response);
  },
  { access: 'admin' },
);
