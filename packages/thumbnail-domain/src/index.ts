export {
  createThumbnail,
  THUMBNAIL_METADATA,
  type ThumbnailOutcome,
  thumbnailEventId,
  type UploadedObject,
} from './createThumbnail';
export {
  createUploadUrl,
  type IssuedUpload,
  type UploadRequest,
} from './createUploadUrl';
export { ImageRejectedError, type RejectionReason } from './errors';
export {
  correlationIdForObject,
  decodeEventKey,
  MAX_KEY_BYTES,
  type MediaPrefixes,
  thumbnailKeyFor,
  uploadKeyFor,
} from './naming';
export {
  applyOrientation,
  DEFAULT_JPEG_QUALITY,
  DEFAULT_MAX_SIDE,
  dcScaleIsEnough,
  jpegDecodeScale,
  makeThumbnail,
  SCALED_DECODE_MARGIN,
  type Thumbnail,
  type ThumbnailOptions,
  thumbnailSize,
} from './pipeline';
export type {
  FetchedObject,
  MediaStore,
  ObjectHead,
  ThumbnailDependencies,
  ThumbnailLimits,
  UploadUrlDependencies,
  UploadUrlSigner,
} from './ports';
export {
  CONTENT_TYPES,
  detectFormat,
  exifOrientation,
  type ImageFormat,
  type ImageInfo,
  type JpegHeader,
  type ProbeLimits,
  probeImage,
  THUMBNAIL_CONTENT_TYPES,
  type ThumbnailContentType,
} from './probe';
export {
  decodeJpegDc,
  decodeJpegScaled,
  type JpegBlockSamples,
  type ScaledJpegBitmap,
} from './scaledJpegDecoder';
