import { createJimp } from '@jimp/core';
import gif from '@jimp/js-gif';
import jpeg from '@jimp/js-jpeg';
import png from '@jimp/js-png';
import { methods as flipMethods } from '@jimp/plugin-flip';
import { methods as resizeMethods } from '@jimp/plugin-resize';
import { methods as rotateMethods } from '@jimp/plugin-rotate';
import { ImageRejectedError } from './errors';
import { type ImageFormat, type ImageInfo, probeImage, type ThumbnailContentType } from './probe';
import { isLazyFormat, lazyCodec, type RgbaBitmap } from './rasterCodecs';
import { decodeJpegScaled, type JpegBlockSamples } from './scaledJpegDecoder';
import { WASM_DECODE_BYTES_PER_PIXEL } from './wasmCodecs';

/**
 * A slim jimp: the three common formats we read and write and the three plugins we call. The full
 * `jimp` package registers every format and plugin (and takes about twice as long to import);
 * TIFF and BMP codecs, and the WebAssembly WebP and AVIF codecs, are loaded only when such an
 * image arrives (rasterCodecs.ts).
 */
const Jimp = createJimp({
  formats: [jpeg, png, gif],
  plugins: [resizeMethods, rotateMethods, flipMethods],
});
type JimpImage = InstanceType<typeof Jimp>;

const decoders = { jpeg: jpeg(), png: png(), gif: gif() } as const;

export interface ThumbnailOptions {
  /** Bounding box of the thumbnail; 128 unless said otherwise. */
  maxSide?: number;
  /** Largest width × height decoded; the header is checked before any decoding. */
  maxPixels: number;
  /** JPEG quality of JPEG thumbnails (jimp's default of 100 makes files ~4× larger for nothing). */
  jpegQuality?: number;
  /** Set false to always decode JPEGs in full (the tests and benchmark compare the paths). */
  reducedJpegDecoding?: boolean;
  /**
   * Memory jpeg-js may use for a full JPEG decode (≈ 28 bytes a pixel): a JPEG the DC path does
   * not take (CMYK, say) and that needs more is refused as too large. 600 MB unless said.
   */
  maxFullJpegDecodeMB?: number;
  /**
   * Memory a WebP or AVIF decoder may grow to (an AVIF takes ≈ 49 bytes a pixel, so 600 MB is
   * ≈ 12 MP): a larger image is refused as too large before its codec is even loaded. 600 MB
   * unless said.
   */
  maxWasmDecodeMB?: number;
}

export interface Thumbnail {
  body: Buffer;
  contentType: ThumbnailContentType;
  format: ImageFormat;
  width: number;
  height: number;
  /** The source's dimensions as displayed, i.e. after EXIF orientation. */
  sourceWidth: number;
  sourceHeight: number;
  orientation: number;
  /**
   * `dc`: JPEG decoded at 1/8 scale from its DC coefficients; `scaled-1/4`, `scaled-1/2`: JPEG
   * decoded at that scale by a reduced inverse DCT; `full`: decoded at full size.
   */
  decodedWith: 'dc' | 'scaled-1/4' | 'scaled-1/2' | 'full';
}

export const DEFAULT_MAX_SIDE = 128;
export const DEFAULT_JPEG_QUALITY = 80;

/**
 * The size of the thumbnail: the largest that fits `maxSide`×`maxSide` with the aspect ratio kept,
 * computed exactly as jimp's `scaleToFit` does (so a naive jimp pipeline gets the same size), and
 * never larger than the source.
 */
export function thumbnailSize(
  width: number,
  height: number,
  maxSide = DEFAULT_MAX_SIDE,
): { width: number; height: number } {
  if (width <= maxSide && height <= maxSide) return { width, height };
  // scaleToFit(w, h) takes h / height when w / h > width / height; with a square box, when the
  // image is taller than wide.
  const factor = 1 > width / height ? maxSide / height : maxSide / width;
  return {
    width: Math.round(width * factor) || 1,
    height: Math.round(height * factor) || 1,
  };
}

/** Orientations 5–8 turn the image a quarter: its displayed width is its stored height. */
const swapsAxes = (orientation: number) => orientation >= 5 && orientation <= 8;

/**
 * Applies an EXIF orientation with jimp's rotate and flip, pixel for pixel the mapping jimp's own
 * `exifRotate` applies on read (checked by the tests for all eight values).
 */
export function applyOrientation(image: JimpImage, orientation: number): void {
  switch (orientation) {
    case 2:
      image.flip({ horizontal: true });
      break;
    case 3:
      image.rotate(180);
      break;
    case 4:
      image.flip({ vertical: true });
      break;
    case 5:
      image.rotate(-90);
      image.flip({ horizontal: true });
      break;
    case 6:
      image.rotate(-90);
      break;
    case 7:
      image.rotate(90);
      image.flip({ horizontal: true });
      break;
    case 8:
      image.rotate(90);
      break;
  }
}

/**
 * How much larger than the thumbnail a reduced-scale decode must be, per axis: the luma plane at
 * least twice (the second, area-averaging resize then spans ≥ 2 samples per output pixel, so the
 * blocks it cuts through weigh little), every other plane at least as large (4:2:0 chroma has one
 * value per 16 pixels at 1/8). Measured against the full decode (BENCHMARKS.md): ≈ 38 dB PSNR at
 * the limit at 1/8, more at 1/4 and 1/2, whose samples come from an inverse DCT, not block means.
 */
export const SCALED_DECODE_MARGIN = { luma: 2, other: 1 } as const;

/** Whether a JPEG decoded with `samples` per block side is large enough for the thumbnail. */
function scaleIsEnough(
  info: ImageInfo,
  stored: { width: number; height: number },
  samples: JpegBlockSamples,
): boolean {
  if (info.format !== 'jpeg' || !info.jpeg || info.jpeg.sampling.length === 0) return false;
  const hmax = Math.max(...info.jpeg.sampling.map((s) => s.h));
  const vmax = Math.max(...info.jpeg.sampling.map((s) => s.v));
  return info.jpeg.sampling.every(({ h, v }, index) => {
    const margin = index === 0 ? SCALED_DECODE_MARGIN.luma : SCALED_DECODE_MARGIN.other;
    return (
      (((info.width * h) / hmax) * samples) / 8 >= margin * stored.width &&
      (((info.height * v) / vmax) * samples) / 8 >= margin * stored.height
    );
  });
}

/** Whether a JPEG is large enough to be thumbnailed from its DC coefficients alone. */
export function dcScaleIsEnough(
  info: ImageInfo,
  stored: { width: number; height: number },
): boolean {
  return scaleIsEnough(info, stored, 1);
}

/**
 * The smallest reduced scale a JPEG can be decoded at for this thumbnail (samples per block side:
 * 1 = 1/8, 2 = 1/4, 4 = 1/2), or undefined when only a full decode will do.
 */
export function jpegDecodeScale(
  info: ImageInfo,
  stored: { width: number; height: number },
): JpegBlockSamples | undefined {
  const candidates: JpegBlockSamples[] = [1, 2, 4];
  return candidates.find((samples) => scaleIsEnough(info, stored, samples));
}

const DECODED_WITH = { 1: 'dc', 2: 'scaled-1/4', 4: 'scaled-1/2' } as const;

export const DEFAULT_MAX_FULL_JPEG_DECODE_MB = 600;
export const DEFAULT_MAX_WASM_DECODE_MB = 600;

/** Refuses a WebP or AVIF whose decoder would need more memory than allowed. */
function checkWasmDecodeMemory(info: ImageInfo, options: ThumbnailOptions): void {
  if (info.format !== 'webp' && info.format !== 'avif') return;
  const neededMB = (info.width * info.height * WASM_DECODE_BYTES_PER_PIXEL[info.format]) / 1e6;
  const allowedMB = options.maxWasmDecodeMB ?? DEFAULT_MAX_WASM_DECODE_MB;
  if (neededMB > allowedMB) {
    throw new ImageRejectedError(
      'too-large',
      `decoding this ${info.width}×${info.height} ${info.format === 'webp' ? 'WebP' : 'AVIF'} needs ≈ ${Math.round(neededMB)} MB, over the ${allowedMB} MB allowed`,
    );
  }
}

async function decodeInFull(
  info: ImageInfo,
  bytes: Buffer,
  options: ThumbnailOptions,
): Promise<RgbaBitmap> {
  checkWasmDecodeMemory(info, options);
  // Loading a codec is not the image's fault: its errors propagate (and the message is retried).
  const codec = isLazyFormat(info.format) ? await lazyCodec(info.format) : undefined;
  try {
    if (codec) return await codec.decode(bytes);
    if (info.format === 'jpeg') {
      return decoders.jpeg.decode(bytes, {
        maxResolutionInMP: options.maxPixels / 1e6,
        maxMemoryUsageInMB: options.maxFullJpegDecodeMB ?? DEFAULT_MAX_FULL_JPEG_DECODE_MB,
      });
    }
    if (info.format === 'png') return decoders.png.decode(bytes);
    return decoders.gif.decode(bytes);
  } catch (error) {
    const message = (error as Error).message;
    if (/maxMemoryUsageInMB|maxResolutionInMP|allocate enough memory/.test(message)) {
      throw new ImageRejectedError('too-large', `decoding needs too much memory: ${message}`, {
        cause: error,
      });
    }
    const name = info.format === 'webp' ? 'WebP' : info.format.toUpperCase();
    throw new ImageRejectedError('corrupt', `the ${name} does not decode: ${message}`, {
      cause: error,
    });
  }
}

async function encode(
  format: ImageFormat,
  image: JimpImage,
  options: ThumbnailOptions,
): Promise<Buffer> {
  switch (format) {
    case 'jpeg':
      return image.getBuffer('image/jpeg', {
        quality: options.jpegQuality ?? DEFAULT_JPEG_QUALITY,
      });
    case 'png':
      return image.getBuffer('image/png');
    case 'gif':
      return image.getBuffer('image/gif');
    default:
      return (await lazyCodec(format)).encode(image.bitmap);
  }
}

/**
 * Makes the thumbnail of an image: probes it (magic bytes, header dimensions, pixel limit,
 * structure), decodes it — JPEGs at the smallest of 1/8, 1/4 or 1/2 scale that is still twice the
 * thumbnail, anything else in full — resizes to fit 128×128, applies the orientation (EXIF of a
 * JPEG or WebP, rotation and mirror of an AVIF) to the small image, and encodes it in the source's
 * own format.
 *
 * @throws ImageRejectedError for anything that can never become a thumbnail.
 */
export async function makeThumbnail(bytes: Buffer, options: ThumbnailOptions): Promise<Thumbnail> {
  const maxSide = options.maxSide ?? DEFAULT_MAX_SIDE;
  const info = probeImage(bytes, { maxPixels: options.maxPixels });
  const swap = swapsAxes(info.orientation);
  const sourceWidth = swap ? info.height : info.width;
  const sourceHeight = swap ? info.width : info.height;
  const target = thumbnailSize(sourceWidth, sourceHeight, maxSide);
  // The size to resize to before orienting.
  const stored = swap
    ? { width: target.height, height: target.width }
    : { width: target.width, height: target.height };

  let bitmap: RgbaBitmap | undefined;
  let decodedWith: Thumbnail['decodedWith'] = 'full';
  const samples = options.reducedJpegDecoding === false ? undefined : jpegDecodeScale(info, stored);
  if (samples) {
    bitmap = decodeJpegScaled(bytes, samples);
    if (bitmap) decodedWith = DECODED_WITH[samples];
  }
  bitmap ??= await decodeInFull(info, bytes, options);

  const image = new Jimp({ data: bitmap.data, width: bitmap.width, height: bitmap.height });
  if (image.bitmap.width !== stored.width || image.bitmap.height !== stored.height) {
    image.resize({ w: stored.width, h: stored.height });
  }
  applyOrientation(image, info.orientation);

  const body = await encode(info.format, image, options);
  return {
    body,
    contentType: info.contentType,
    format: info.format,
    width: image.bitmap.width,
    height: image.bitmap.height,
    sourceWidth,
    sourceHeight,
    orientation: info.orientation,
    decodedWith,
  };
}
