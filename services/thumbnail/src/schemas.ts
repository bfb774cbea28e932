import { safeText, toIssues } from '@shop/contracts';
import { badRequest } from '@shop/lambda-http';
import { THUMBNAIL_CONTENT_TYPES } from '@shop/thumbnail-domain';
import { z } from 'zod';
import { DEFAULTS } from './defaults';

/** Path separators have no place in a file name (control characters are safeText's to refuse). */
const hasPathSeparator = (name: string) => name.includes('/') || name.includes('\\');

/** `POST /uploads` body; the size limit is the service's (MAX_UPLOAD_BYTES). */
export function createUploadRequestSchema(maxUploadBytes: number = DEFAULTS.maxUploadBytes) {
  return z
    .object({
      // Checked before trimming: a control character is refused, not silently cut off.
      fileName: safeText()
        .trim()
        .min(1)
        .max(200)
        .refine((name) => !hasPathSeparator(name), { message: 'must not contain "/" or "\\"' })
        .refine((name) => name !== '.' && name !== '..', { message: 'must be a file name' })
        .meta({
          description: 'The file name to keep (the key gets its own folder per upload).',
          example: 'espresso beans.jpg',
        }),
      contentType: z.enum(THUMBNAIL_CONTENT_TYPES).meta({
        description:
          'An image type thumbnails are made of; sent as the Content-Type of the PUT and signed.',
        example: 'image/jpeg',
      }),
      contentLength: z
        .number()
        .int()
        .positive()
        .max(maxUploadBytes)
        .meta({
          description: `Exact size in bytes of the file to upload (at most ${maxUploadBytes}); signed.`,
          example: 482_113,
        }),
    })
    .strict()
    .meta({
      id: 'CreateUploadRequest',
      example: {
        fileName: 'espresso beans.jpg',
        contentType: 'image/jpeg',
        contentLength: 482_113,
      },
    });
}

export const CreateUploadResponseSchema = z
  .object({
    uploadId: z.uuid(),
    key: z.string().meta({ description: 'Where the upload lands, under uploads/.' }),
    thumbnailKey: z
      .string()
      .meta({ description: 'Where its thumbnail will be, once ThumbnailCreated is published.' }),
    upload: z.object({
      url: z.url(),
      method: z.literal('PUT'),
      headers: z
        .object({ 'Content-Type': z.enum(THUMBNAIL_CONTENT_TYPES), 'Content-Length': z.string() })
        .meta({ description: 'Send exactly these headers with the PUT: they are signed.' }),
      expiresAt: z.iso.datetime(),
    }),
  })
  .meta({ id: 'CreateUploadResponse' });

export type CreateUploadResponse = z.infer<typeof CreateUploadResponseSchema>;

export type CreateUploadRequest = z.infer<ReturnType<typeof createUploadRequestSchema>>;

/**
 * The body as an upload request, or a 400 naming every offending field.
 *
 * @throws HttpError 400
 */
export function parseUploadRequest(
  schema: ReturnType<typeof createUploadRequestSchema>,
  body: unknown,
): CreateUploadRequest {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw badRequest('the request has invalid fields', toIssues(parsed.error, { root: 'body' }));
  }
  return parsed.data;
}
