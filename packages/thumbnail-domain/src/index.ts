export {
  createThumbnail,
  THUMBNAIL_METADATA,
  type ThumbnailOutcome,
  thumbnailEventId,
  type UploadedObject,
} from './createThumbnail';
export { ImageRejectedError, isImageRejected, type RejectionReason } from './errors';
export { type DcBitmap, decodeJpegDc } from './jpegDc';
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
  DC_SCALE_MARGIN,
  DEFAULT_JPEG_QUALITY,
  DEFAULT_MAX_SIDE,
  dcScaleIsEnough,
  makeThumbnail,
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
  type ThumbnailContentType,
} from './probe';
