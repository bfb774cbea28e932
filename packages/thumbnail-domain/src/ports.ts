import type { EventPublisher } from '@shop/contracts';
import type { MediaPrefixes } from './naming';

/** An object read from the media bucket. */
export type FetchedObject =
  | { kind: 'found'; bytes: Buffer; etag: string; contentType?: string }
  /** Larger than asked for: the body was not read. */
  | { kind: 'too-large'; size: number; etag: string };

/** What a thumbnail's HEAD tells: its content type and the metadata written with it. */
export interface ObjectHead {
  etag: string;
  contentType?: string;
  /** User metadata, keys lower-cased (S3's `x-amz-meta-*`). */
  metadata: Record<string, string>;
}

/**
 * Port: the media bucket. Implemented by `S3ObjectStore` in `@shop/aws-adapters`. Errors it throws
 * are transient (the message is retried and ends in the DLQ); "not there" is an answer, not an
 * error.
 */
export interface MediaStore {
  /** The object's head, or undefined when there is none. */
  head(key: string): Promise<ObjectHead | undefined>;
  /** The object's bytes, or undefined when it is gone. */
  get(key: string, options: { maxBytes: number }): Promise<FetchedObject | undefined>;
  put(
    key: string,
    object: {
      body: Buffer;
      contentType: string;
      metadata: Record<string, string>;
      cacheControl?: string;
    },
  ): Promise<void>;
}

export interface ThumbnailLimits {
  /** Largest width × height decoded. */
  maxPixels: number;
  /** Largest upload read, in bytes. */
  maxBytes: number;
}

export interface ThumbnailDependencies {
  media: MediaStore;
  events: EventPublisher;
  /** The media bucket's name, for the event. */
  bucket: string;
  prefixes: MediaPrefixes;
  limits: ThumbnailLimits;
  /** 80 unless said otherwise. */
  jpegQuality?: number;
}

/**
 * Port: presigned uploads to the media bucket. Implemented by `S3UploadUrlSigner` in
 * `@shop/aws-adapters`; the content type and exact length are signed.
 */
export interface UploadUrlSigner {
  presignPut(
    key: string,
    upload: { contentType: string; contentLength: number; expiresInSeconds: number },
  ): Promise<{
    url: string;
    method: 'PUT';
    headers: { 'Content-Type': string; 'Content-Length': string };
    expiresAt: Date;
  }>;
}

export interface UploadUrlDependencies {
  signer: UploadUrlSigner;
  prefixes: MediaPrefixes;
  /** How long an upload URL is valid, in seconds. */
  uploadUrlTtlSeconds: number;
  /** A new, unique upload id (a UUID). */
  newUploadId: () => string;
}
