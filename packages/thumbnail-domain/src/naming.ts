import { createHash } from 'node:crypto';

export interface MediaPrefixes {
  /** Where uploads land and notify from, e.g. `uploads/`. */
  uploadPrefix: string;
  /** Where thumbnails go, e.g. `thumbnails/`; must not be under the upload prefix. */
  thumbnailPrefix: string;
}

/** S3 refuses longer keys (1024 bytes of UTF-8). */
export const MAX_KEY_BYTES = 1024;

/**
 * The key an S3 event notification names, decoded: S3 URL-encodes keys in events, with `+` for
 * spaces (so a literal `+` arrives as `%2B`).
 *
 * @throws URIError for a malformed escape (no real S3 event has one).
 */
export function decodeEventKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/**
 * The thumbnail's key for an upload: the upload's sub-path mirrored under the thumbnail prefix,
 * `<name>_thumb<ext>` as the file name, so two uploads with the same file name never collide.
 * `undefined` for keys outside the upload prefix and for "folder" keys ending in `/`.
 *
 * @example
 * ```ts
 * thumbnailKeyFor('uploads/7f3a/espresso beans.JPG', prefixes); // 'thumbnails/7f3a/espresso beans_thumb.JPG'
 * thumbnailKeyFor('uploads/a/.hidden', prefixes);               // 'thumbnails/a/.hidden_thumb'
 * ```
 */
export function thumbnailKeyFor(sourceKey: string, prefixes: MediaPrefixes): string | undefined {
  if (!sourceKey.startsWith(prefixes.uploadPrefix) || sourceKey.endsWith('/')) return undefined;
  const rest = sourceKey.slice(prefixes.uploadPrefix.length);
  const slash = rest.lastIndexOf('/');
  const directory = rest.slice(0, slash + 1);
  const file = rest.slice(slash + 1);
  if (file === '') return undefined;
  // A leading dot starts a name (".hidden"), not an extension.
  const dot = file.lastIndexOf('.');
  const [name, extension] = dot > 0 ? [file.slice(0, dot), file.slice(dot)] : [file, ''];
  return `${prefixes.thumbnailPrefix}${directory}${name}_thumb${extension}`;
}

/** The key a presigned upload gets: its own folder per upload, the client's file name kept. */
export function uploadKeyFor(uploadId: string, fileName: string, uploadPrefix: string): string {
  return `${uploadPrefix}${uploadId}/${fileName}`;
}

const CORRELATION_ID_UNSAFE = /[^A-Za-z0-9._-]+/g;

/**
 * A correlation id for the flow an S3 object starts, stable across redeliveries of its
 * notification: `s3:<end of the key, made safe>:<hash of bucket, key and ETag>`. It fits the
 * correlation id rules (≤ 128 characters of `[A-Za-z0-9._:-]`) whatever the key holds.
 *
 * @example
 * ```ts
 * correlationIdForObject('shop-media', 'uploads/7f3a/espresso beans.jpg', 'd41d8cd9…');
 * // 's3:uploads_7f3a_espresso_beans.jpg:1b0c0c4e5b2a9f13'
 * ```
 */
export function correlationIdForObject(bucket: string, key: string, etag: string): string {
  const safeKey = key.replace(CORRELATION_ID_UNSAFE, '_').slice(-64);
  const hash = createHash('sha256').update(`${bucket}\0${key}\0${etag}`).digest('hex').slice(0, 16);
  return `s3:${safeKey}:${hash}`;
}
