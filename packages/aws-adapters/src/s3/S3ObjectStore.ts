import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';

export type S3ObjectStoreOptions = { bucket: string } & (
  | { client: S3Client }
  | { config?: S3ClientConfig }
);

/** An object's head: what HEAD answers. */
export interface S3ObjectHead {
  etag: string;
  contentType?: string;
  contentLength?: number;
  /** User metadata (`x-amz-meta-*`), keys lower-cased. */
  metadata: Record<string, string>;
}

/** An object's bytes, or only its size when it is larger than asked for (body not read). */
export type S3FetchedObject =
  | { kind: 'found'; bytes: Buffer; etag: string; contentType?: string }
  | { kind: 'too-large'; size: number; etag: string };

const stripQuotes = (etag: string | undefined) => (etag ?? '').replace(/"/g, '');

/**
 * Whether S3 says the object is not there: 404 (`NotFound` for HEAD, `NoSuchKey` for GET). S3
 * answers 404 only to callers allowed s3:ListBucket on the bucket; to others it answers 403 for a
 * missing key, the same 403 as for a missing grant, so a 403 is never taken for "not there": a
 * role without ListBucket would skip every deleted upload as if it were, and a role missing its
 * GetObject grant would skip every upload.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
function isMissing(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return (
    error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    error.$metadata.httpStatusCode === 404
  );
}

/**
 * Reads and writes objects of one bucket. The endpoint comes from the SDK's own settings
 * (`AWS_ENDPOINT_URL` locally, where the IP-address endpoint makes the SDK use path-style URLs).
 * Errors are the SDK's, except "no such object", which is an answer (`undefined`). For S3 to say
 * so (404, not 403), the caller's role needs s3:ListBucket on the bucket as well as
 * s3:GetObject on the keys it reads.
 *
 * @example
 * ```ts
 * const media = new S3ObjectStore({ bucket: process.env.MEDIA_BUCKET! });
 * const object = await media.get('uploads/7f3a/espresso.jpg', { maxBytes: 30 * 2 ** 20 });
 * ```
 */
export class S3ObjectStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: S3ObjectStoreOptions) {
    this.#client = 'client' in options ? options.client : new S3Client(options.config ?? {});
    this.#bucket = options.bucket;
  }

  /** The object's head, or undefined when there is no such object. */
  async head(key: string): Promise<S3ObjectHead | undefined> {
    try {
      const head = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: key }),
      );
      return {
        etag: stripQuotes(head.ETag),
        ...(head.ContentType ? { contentType: head.ContentType } : {}),
        ...(head.ContentLength !== undefined ? { contentLength: head.ContentLength } : {}),
        metadata: lowerCaseKeys(head.Metadata ?? {}),
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /**
   * The object's bytes, or `{ kind: 'too-large' }` without reading the body when it has more than
   * `maxBytes`; undefined when there is no such object.
   */
  async get(key: string, options: { maxBytes: number }): Promise<S3FetchedObject | undefined> {
    let response: GetObjectCommandOutput;
    try {
      response = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const etag = stripQuotes(response.ETag);
    if (response.ContentLength !== undefined && response.ContentLength > options.maxBytes) {
      // Not read: free the connection instead of downloading what will not be used.
      (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
      return { kind: 'too-large', size: response.ContentLength, etag };
    }
    const array = (await response.Body?.transformToByteArray()) ?? new Uint8Array(0);
    if (array.length > options.maxBytes) return { kind: 'too-large', size: array.length, etag };
    return {
      kind: 'found',
      bytes: Buffer.from(array.buffer, array.byteOffset, array.byteLength),
      etag,
      ...(response.ContentType ? { contentType: response.ContentType } : {}),
    };
  }

  async put(
    key: string,
    object: {
      body: Buffer | Uint8Array;
      contentType: string;
      metadata?: Record<string, string>;
      cacheControl?: string;
    },
  ): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: object.body,
        ContentType: object.contentType,
        ContentLength: object.body.length,
        ...(object.metadata ? { Metadata: object.metadata } : {}),
        ...(object.cacheControl ? { CacheControl: object.cacheControl } : {}),
      }),
    );
  }
}

function lowerCaseKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
