/**
 * Why an upload gets no thumbnail, for good: retrying the same bytes can never succeed.
 *
 * - `not-an-image`: the bytes are no image format we know (text named `.jpg`, a PDF, an empty file).
 * - `unsupported`: an image, but not one we make thumbnails of (HEIC, animated WebP,
 *   BigTIFF, arithmetic-coded or 12-bit JPEG, …).
 * - `corrupt`: an image whose structure or data is broken.
 * - `truncated`: an image that ends before its last byte (an interrupted upload).
 * - `too-large`: more pixels (from the header, before any decoding) or bytes than allowed.
 */
export type RejectionReason =
  | 'not-an-image'
  | 'unsupported'
  | 'corrupt'
  | 'truncated'
  | 'too-large';

/** A permanent failure: the upload is recorded as rejected and the message acknowledged. */
export class ImageRejectedError extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImageRejectedError';
  }
}
