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
 * Presigns PUT requests for one bucket, with the content type and the exact size signed, so the
 * URL uploads one file of that type and size and nothing else.
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

  async presignPut(
    key: string,
    upload: { contentType: string; contentLength: number; expiresInSeconds: number },
    now: Date = new Date(),
  ): Promise<PresignedUpload> {
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
