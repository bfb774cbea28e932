import { PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export type S3UploadUrlSignerOptions = { bucket: string } & (
  | { client: S3Client }
  | { config?: S3ClientConfig }
);

/** A presigned PUT: the URL and exactly the headers the client must send with it. */
export interface PresignedUpload {
  url: string;
  method: 'PUT';
  /** Signed: S3 refuses the upload if they differ. */
  headers: { 'Content-Type': string; 'Content-Length': string };
  expiresAt: Date;
}

/**
 * The longest an upload URL lives: 5 minutes. Long enough to start a PUT right after asking for
 * it; a URL that leaks (a log, a browser history) is soon worth nothing.
 */
export const MAX_UPLOAD_URL_EXPIRY_SECONDS = 300;

/**
 * Presigns PUT requests for one bucket, with the key, the content type and the exact size signed,
 * so the URL uploads one file of that type and size to that key, for at most
 * {@link MAX_UPLOAD_URL_EXPIRY_SECONDS}, and nothing else.
 *
 * Its own client computes checksums only when an operation requires one: by default the SDK would
 * sign a CRC32 of the (empty) body it has at signing time, and S3 would refuse every real upload.
 *
 * @example
 * ```ts
 * const signer = new S3UploadUrlSigner({ bucket: process.env.MEDIA_BUCKET! });
 * const upload = await signer.presignPut('uploads/7f3a/espresso.jpg', {
 *   contentType: 'image/jpeg', contentLength: 123456, expiresInSeconds: 300,
 * });
 * // PUT upload.url with upload.headers and the bytes.
 * ```
 */
export class S3UploadUrlSigner {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: S3UploadUrlSignerOptions) {
    this.#client =
      'client' in options
        ? options.client
        : new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED', ...(options.config ?? {}) });
    this.#bucket = options.bucket;
  }

  /**
   * @throws RangeError when the expiry is not a whole number of seconds from 1 to
   *   {@link MAX_UPLOAD_URL_EXPIRY_SECONDS}, the length not a whole number of bytes above 0, or
   *   the content type empty: a URL that would outlive its purpose or accept any file is refused
   *   rather than signed.
   */
  async presignPut(
    key: string,
    upload: { contentType: string; contentLength: number; expiresInSeconds: number },
    now: Date = new Date(),
  ): Promise<PresignedUpload> {
    const { expiresInSeconds, contentLength } = upload;
    if (
      !Number.isInteger(expiresInSeconds) ||
      expiresInSeconds < 1 ||
      expiresInSeconds > MAX_UPLOAD_URL_EXPIRY_SECONDS
    ) {
      throw new RangeError(
        `an upload URL expires after 1 to ${MAX_UPLOAD_URL_EXPIRY_SECONDS} s, not ${expiresInSeconds}`,
      );
    }
    // A header the request leaves out is not signed: S3 would then take any size, or any type.
    if (!Number.isSafeInteger(contentLength) || contentLength < 1) {
      throw new RangeError(`an upload has a whole number of bytes above 0, not ${contentLength}`);
    }
    if (upload.contentType.trim() === '') {
      throw new RangeError('an upload has a content type');
    }
    const url = await getSignedUrl(
      this.#client,
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        ContentType: upload.contentType,
        ContentLength: upload.contentLength,
      }),
      {
        expiresIn: upload.expiresInSeconds,
        signingDate: now,
        // Without this the presigner signs only `host` (and the length): any type would do.
        signableHeaders: new Set(['content-type', 'content-length']),
      },
    );
    return {
      url,
      method: 'PUT',
      headers: {
        'Content-Type': upload.contentType,
        'Content-Length': String(upload.contentLength),
      },
      expiresAt: new Date(now.getTime() + upload.expiresInSeconds * 1000),
    };
  }
}
