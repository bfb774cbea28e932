import { buildEvent, deterministicEventId } from '@shop/contracts';
import { ImageRejectedError, type RejectionReason } from './errors';
import { correlationIdForObject, MAX_KEY_BYTES, thumbnailKeyFor } from './naming';
import { makeThumbnail, type Thumbnail } from './pipeline';
import type { ThumbnailDependencies } from './ports';
import { CONTENT_TYPES, type ThumbnailContentType } from './probe';

/** One object-created notification: what S3 says was uploaded. */
export interface UploadedObject {
  /** Decoded (no URL encoding). */
  key: string;
  /** Without quotes, as S3 events carry it. */
  etag: string;
  /** Bytes, when the event says. */
  size?: number;
}

/** Metadata keys written on every thumbnail (S3 `x-amz-meta-*`, ASCII only). */
export const THUMBNAIL_METADATA = {
  sourceEtag: 'source-etag',
  width: 'width',
  height: 'height',
} as const;

export type ThumbnailOutcome =
  | {
      outcome: 'created';
      thumbnailKey: string;
      width: number;
      height: number;
      contentType: ThumbnailContentType;
      decodedWith: Thumbnail['decodedWith'];
      sourceWidth: number;
      sourceHeight: number;
      bytes: number;
    }
  /** A thumbnail of this very version exists: ThumbnailCreated is re-published (same eventId). */
  | { outcome: 'already-done'; thumbnailKey: string }
  /** Can never become a thumbnail: recorded (log line, metric) and acknowledged. */
  | { outcome: 'rejected'; reason: RejectionReason; detail: string }
  /** Nothing to do: a folder key, a key outside the upload prefix, an object deleted since. */
  | { outcome: 'ignored'; detail: string };

const stripQuotes = (etag: string) => etag.replace(/"/g, '');

/** The id every copy of this thumbnail's ThumbnailCreated carries, so consumers drop repeats. */
export const thumbnailEventId = (bucket: string, key: string, etag: string) =>
  deterministicEventId('ThumbnailCreated', bucket, key, stripQuotes(etag));

/**
 * Makes the thumbnail of one upload and announces it. Idempotent per source version: when the
 * thumbnail written for this ETag exists, nothing is decoded or written again, and the event is
 * published again with the same eventId (a redelivery after a failed publish still announces it).
 *
 * Permanent problems with the upload come back as `rejected`; errors of the store or the bus are
 * thrown, for the message to be retried.
 */
export async function createThumbnail(
  deps: ThumbnailDependencies,
  upload: UploadedObject,
): Promise<ThumbnailOutcome> {
  const thumbnailKey = thumbnailKeyFor(upload.key, deps.prefixes);
  if (!thumbnailKey) {
    return { outcome: 'ignored', detail: 'not a file under the upload prefix' };
  }
  if (Buffer.byteLength(thumbnailKey) > MAX_KEY_BYTES) {
    return rejected('unsupported', `the thumbnail key would exceed ${MAX_KEY_BYTES} bytes`);
  }
  if (upload.size !== undefined && upload.size > deps.limits.maxBytes) {
    return rejected(
      'too-large',
      `${upload.size} bytes, over the ${deps.limits.maxBytes}-byte limit`,
    );
  }
  const etag = stripQuotes(upload.etag);

  const existing = await deps.media.head(thumbnailKey);
  if (existing && existing.metadata[THUMBNAIL_METADATA.sourceEtag] === etag) {
    const width = Number(existing.metadata[THUMBNAIL_METADATA.width]);
    const height = Number(existing.metadata[THUMBNAIL_METADATA.height]);
    const contentType = Object.values(CONTENT_TYPES).find((t) => t === existing.contentType);
    if (width > 0 && height > 0 && contentType) {
      await publishCreated(deps, upload.key, etag, { thumbnailKey, width, height, contentType });
      return { outcome: 'already-done', thumbnailKey };
    }
    // Metadata we did not write: make the thumbnail again.
  }

  const source = await deps.media.get(upload.key, { maxBytes: deps.limits.maxBytes });
  if (!source) return { outcome: 'ignored', detail: 'the upload no longer exists' };
  if (source.kind === 'too-large') {
    return rejected(
      'too-large',
      `${source.size} bytes, over the ${deps.limits.maxBytes}-byte limit`,
    );
  }
  // The version read may be newer than the one notified; the thumbnail says which one it shows.
  const sourceEtag = stripQuotes(source.etag) || etag;

  let thumbnail: Thumbnail;
  try {
    thumbnail = await makeThumbnail(source.bytes, {
      maxPixels: deps.limits.maxPixels,
      jpegQuality: deps.jpegQuality,
    });
  } catch (error) {
    if (error instanceof ImageRejectedError) return rejected(error.reason, error.message);
    throw error;
  }
  const { contentType } = thumbnail;

  await deps.media.put(thumbnailKey, {
    body: thumbnail.body,
    contentType,
    metadata: {
      [THUMBNAIL_METADATA.sourceEtag]: sourceEtag,
      [THUMBNAIL_METADATA.width]: String(thumbnail.width),
      [THUMBNAIL_METADATA.height]: String(thumbnail.height),
    },
    // A thumbnail changes only when its upload does, under the same key: short-lived caches.
    cacheControl: 'max-age=300',
  });
  await publishCreated(deps, upload.key, sourceEtag, {
    thumbnailKey,
    width: thumbnail.width,
    height: thumbnail.height,
    contentType,
  });
  return {
    outcome: 'created',
    thumbnailKey,
    width: thumbnail.width,
    height: thumbnail.height,
    contentType,
    decodedWith: thumbnail.decodedWith,
    sourceWidth: thumbnail.sourceWidth,
    sourceHeight: thumbnail.sourceHeight,
    bytes: thumbnail.body.length,
  };
}

function rejected(reason: RejectionReason, detail: string): ThumbnailOutcome {
  return { outcome: 'rejected', reason, detail };
}

async function publishCreated(
  deps: ThumbnailDependencies,
  sourceKey: string,
  etag: string,
  thumbnail: {
    thumbnailKey: string;
    width: number;
    height: number;
    contentType: ThumbnailContentType;
  },
): Promise<void> {
  await deps.events.publish(
    buildEvent(
      'ThumbnailCreated',
      { bucket: deps.bucket, sourceKey, ...thumbnail },
      {
        correlationId: correlationIdForObject(deps.bucket, sourceKey, etag),
        eventId: thumbnailEventId(deps.bucket, sourceKey, etag),
      },
    ),
  );
}
