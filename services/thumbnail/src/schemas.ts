import { safeText, toIssues } from '@shop/contracts';
import * as z from '@shop/contracts/zod';
import { badRequest } from '@shop/lambda-http';
import { THUMBNAIL_CONTENT_TYPES } from '@shop/thumbnail-domain';
import { DEFAULTS } from './defaults';

/** Path separators have no place in a file name (control characters are safeText's to refuse). */
const hasPathSeparator = (name: string) => name.includes('/') || name.includes('\\');

/** `POST /uploads` body; the size limit is the service's (MAX_UPLOAD_BYTES). */
export function createUploadRequestSchema(maxUploadBytes: number = DEFAULTS.maxUploadBytes) {
  return z
    .strictObject({
      // Checked before trimming: a control character is refused, not silently cut off.
      fileName: safeText()
        .check(
          z.trim(),
          z.minLength(1),
          z.maxLength(200),
          z.refine((name) => !hasPathSeparator(name), { message: 'must not contain "/" or "\\"' }),
          z.refine((name) => name !== '.' && name !== '..', { message: 'must be a file name' }),
        )
        .register(z.globalRegistry, {
          description: 'The file name to keep (the key gets its own folder per upload).',
          example: 'espresso beans.jpg',
        }),
      contentType: z.enum(THUMBNAIL_CONTENT_TYPES).register(z.globalRegistry, {
        description:
          'An image type thumbnails are made of; sent as the Content-Type of the PUT and signed.',
        example: 'image/jpeg',
      }),
      contentLength: z
        .number()
        .check(z.int(), z.positive(), z.lte(maxUploadBytes))
        .register(z.globalRegistry, {
          description: `Exact size in bytes of the file to upload (at most ${maxUploadBytes}); signed.`,
          example: 482_113,
        }),
    })
    .register(z.globalRegistry, {
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
    key: z
      .string()
      .register(z.globalRegistry, { description: 'Where the upload lands, under uploads/.' }),
    thumbnailKey: z.string().register(z.globalRegistry, {
      description: 'Where its thumbnail will be, once ThumbnailCreated is published.',
    }),
    upload: z.object({
      url: z.url(),
      method: z.literal('PUT'),
      headers: z
        .object({ 'Content-Type': z.enum(THUMBNAIL_CONTENT_TYPES), 'Content-Length': z.string() })
        .register(z.globalRegistry, {
          description: 'Send exactly these headers with the PUT: they are signed.',
        }),
      expiresAt: z.iso.datetime(),
    }),
  })
  .register(z.globalRegistry, { id: 'CreateUploadResponse' });

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
