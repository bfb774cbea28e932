import { thumbnailKeyFor, uploadKeyFor } from './naming';
import type { UploadUrlDependencies } from './ports';
import type { ThumbnailContentType } from './probe';

/** A request for an upload URL, already validated at the edge (file name, type, size limit). */
export interface UploadRequest {
  fileName: string;
  contentType: ThumbnailContentType;
  contentLength: number;
}

/** An issued upload URL and where the upload and its thumbnail will be. */
export interface IssuedUpload {
  uploadId: string;
  key: string;
  thumbnailKey: string;
  upload: {
    url: string;
    method: 'PUT';
    /** Signed: the PUT must send exactly these. */
    headers: { 'Content-Type': ThumbnailContentType; 'Content-Length': string };
    expiresAt: Date;
  };
}

/**
 * Issues a presigned PUT URL for one image.
 *
 * Input: a validated upload request. Output: the upload's id, key and thumbnail key, and the URL
 * with the headers to send.
 * 1. Give the upload its own folder under the upload prefix (a new id), the file name kept.
 * 2. Name the thumbnail it will get, so the client knows where to look after ThumbnailCreated.
 * 3. Sign a PUT for that key with the content type and exact size signed, for the configured TTL.
 *
 * @example
 * ```ts
 * const issued = await createUploadUrl(deps, {
 *   fileName: 'espresso.jpg', contentType: 'image/jpeg', contentLength: 482_113,
 * });
 * // issued.key === 'uploads/<uuid>/espresso.jpg'; PUT issued.upload.url with its headers.
 * ```
 */
export async function createUploadUrl(
  deps: UploadUrlDependencies,
  request: UploadRequest,
): Promise<IssuedUpload> {
  const uploadId = deps.newUploadId();
  const key = uploadKeyFor(uploadId, request.fileName, deps.prefixes.uploadPrefix);
  // Always defined: the key is a file under the upload prefix.
  const thumbnailKey = thumbnailKeyFor(key, deps.prefixes) ?? '';
  const signed = await deps.signer.presignPut(key, {
    contentType: request.contentType,
    contentLength: request.contentLength,
    expiresInSeconds: deps.uploadUrlTtlSeconds,
  });
  return {
    uploadId,
    key,
    thumbnailKey,
    upload: {
      url: signed.url,
      method: 'PUT',
      headers: {
        'Content-Type': request.contentType,
        'Content-Length': signed.headers['Content-Length'],
      },
      expiresAt: signed.expiresAt,
    },
  };
}
