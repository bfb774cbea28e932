import * as z from '@shop/contracts/zod';
import {
  authResponses,
  bearerSecurityScheme,
  correlationIdHeader,
  problemResponse,
  secured,
} from '@shop/lambda-http';
import { createDocument } from 'zod-openapi';
import { CreateUploadResponseSchema, createUploadRequestSchema } from './schemas';

const RequestSchema = createUploadRequestSchema();

export const exampleUploadResponse = {
  uploadId: '0b7c2f4e-8d1a-4f3b-9c55-6e2d1a7b9f10',
  key: 'uploads/0b7c2f4e-8d1a-4f3b-9c55-6e2d1a7b9f10/espresso beans.jpg',
  thumbnailKey: 'thumbnails/0b7c2f4e-8d1a-4f3b-9c55-6e2d1a7b9f10/espresso beans_thumb.jpg',
  upload: {
    url: 'https://shop-thumbnail-dev-media-123456789012.s3.eu-west-1.amazonaws.com/uploads/0b7c2f4e-8d1a-4f3b-9c55-6e2d1a7b9f10/espresso%20beans.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost&X-Amz-Signature=5f1c0e8d2a7b9c3e4f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a',
    method: 'PUT' as const,
    headers: { 'Content-Type': 'image/jpeg' as const, 'Content-Length': '482113' },
    expiresAt: '2026-11-27T10:05:00.000Z',
  },
};

export const exampleBadRequest = {
  type: 'about:blank',
  title: 'Bad Request',
  status: 400,
  detail: 'the request has invalid fields',
  issues: [
    {
      path: 'contentType',
      message:
        'Invalid option: expected one of "image/jpeg"|"image/png"|"image/gif"|"image/tiff"|"image/bmp"|"image/webp"|"image/avif"',
    },
  ],
};

/**
 * The upload API as OpenAPI 3.1, generated from the zod schemas the handler validates with, so the
 * document cannot drift from the code.
 */
export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'serverless-shop upload API',
      version: '1.0.0',
      description:
        'Presigned uploads of product images. Each upload under uploads/ gets a ≤ 128 px thumbnail ' +
        'under thumbnails/ (same sub-path, `<name>_thumb<ext>`), announced with ThumbnailCreated.',
    },
    components: { securitySchemes: bearerSecurityScheme },
    paths: {
      '/uploads': {
        post: {
          operationId: 'createUpload',
          ...secured('admin'),
          summary: 'Get a presigned PUT URL for one JPEG, PNG, GIF, TIFF, BMP, WebP or AVIF image',
          requestBody: {
            content: {
              'application/json': {
                schema: RequestSchema,
                example: z.globalRegistry.get(RequestSchema)?.example,
              },
            },
          },
          responses: {
            '201': {
              description:
                'PUT the file to `upload.url` with exactly `upload.headers` before `upload.expiresAt`.',
              headers: correlationIdHeader,
              content: {
                'application/json': {
                  schema: CreateUploadResponseSchema,
                  example: exampleUploadResponse,
                },
              },
            },
            '400': problemResponse(
              'Invalid body; every offending field is named (type not allowed, too large, bad name).',
              exampleBadRequest,
            ),
            ...authResponses('admin'),
            '413': problemResponse('Body too large.'),
            '415': problemResponse('Not application/json.'),
          },
        },
      },
    },
  });
}
