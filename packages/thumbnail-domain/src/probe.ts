import { ImageRejectedError } from './errors';
import { isSofMarker, JPEG_MARKER, jpegSegments } from './jpegSegments';
import { bmpHeader, tiffHeader } from './rasterHeaders';
import { avifHeader, webpHeader } from './wasmFormatHeaders';

/** The formats we make thumbnails of, each kept in its own format. */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'tiff' | 'bmp' | 'webp' | 'avif';

/**
 * The content type of each format we thumbnail: what upload URLs accept, what thumbnails are
 * written as. The one list of them.
 */
export const CONTENT_TYPES = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  webp: 'image/webp',
  avif: 'image/avif',
} as const satisfies Record<ImageFormat, string>;

export type ThumbnailContentType = (typeof CONTENT_TYPES)[ImageFormat];

/** The content types of {@link CONTENT_TYPES} as a tuple, for `z.enum`. */
export const THUMBNAIL_CONTENT_TYPES = Object.values(CONTENT_TYPES) as [
  ThumbnailContentType,
  ...ThumbnailContentType[],
];

/** What the header of a JPEG says, for the decoder to choose its path. */
export interface JpegHeader {
  /** SOF marker type: 0 baseline, 1 extended, 2 progressive, 3+ lossless/hierarchical/arithmetic. */
  frameType: number;
  progressive: boolean;
  precision: number;
  components: number;
  /** Sampling factors per component, e.g. `[{h:2,v:2},{h:1,v:1},{h:1,v:1}]` for 4:2:0. */
  sampling: { h: number; v: number }[];
}

/** What the first bytes of an upload say about it; nothing is decoded to find out. */
export interface ImageInfo {
  format: ImageFormat;
  contentType: ThumbnailContentType;
  /** As stored, before EXIF orientation. */
  width: number;
  height: number;
  /**
   * EXIF orientation 1–8: a JPEG's or WebP's EXIF, an AVIF's rotation and mirror properties as
   * the EXIF value they amount to; 1 when absent or out of range, and for the other formats.
   */
  orientation: number;
  jpeg?: JpegHeader;
  /** PNG bit depth (1, 2, 4, 8 or 16). */
  bitDepth?: number;
}

export interface ProbeLimits {
  /** Largest width × height accepted; checked from the header, before decoding. */
  maxPixels: number;
}

const reject = (reason: ConstructorParameters<typeof ImageRejectedError>[0], message: string) =>
  new ImageRejectedError(reason, message);

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length &&
  signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (bytes: Uint8Array, offset: number, length: number) =>
  String.fromCharCode(...bytes.subarray(offset, offset + length));

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** ISO BMFF brands of AVIF (the major brand or a compatible one). */
const isAvif = (bytes: Uint8Array) => {
  if (ascii(bytes, 4, 4) !== 'ftyp') return false;
  const size = Math.min(
    bytes.length,
    ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0),
  );
  for (let offset = 8; offset + 4 <= size; offset += 4) {
    if (offset === 12) continue; // minor version, not a brand
    if (/^(avif|avis)$/.test(ascii(bytes, offset, 4))) return true;
  }
  return false;
};

/**
 * Image formats recognised by their magic bytes but not thumbnailed: named, so the log line says
 * "unsupported HEIF" rather than "not an image". (An AVIF is a HEIF too: it is told apart first.)
 */
function unsupportedFormatName(bytes: Uint8Array): string | undefined {
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    if (/^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand)) return 'HEIF';
  }
  if (startsWith(bytes, [0xff, 0x0a]) || ascii(bytes, 4, 4) === 'JXL ') return 'JPEG XL';
  if (ascii(bytes, 4, 4) === 'jP  ') return 'JPEG 2000';
  if (ascii(bytes, 0, 4) === '8BPS') return 'PSD';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 6 && bytes[4] !== 0)
    return 'ICO';
  return undefined;
}

/** The format by magic bytes alone: a `.jpg` full of text is not a JPEG. */
export function detectFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 18) {
    const dibHeaderSize = (bytes[14] ?? 0) | ((bytes[15] ?? 0) << 8);
    if ([12, 40, 52, 56, 64, 108, 124].includes(dibHeaderSize)) return 'bmp';
  }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (isAvif(bytes)) return 'avif';
  return undefined;
}

const checkPixels = (
  size: { width: number; height: number; pixels?: number },
  limits: ProbeLimits,
) => {
  const pixels = size.pixels ?? size.width * size.height;
  if (pixels > limits.maxPixels) {
    throw reject(
      'too-large',
      `${size.width}×${size.height} is ${(pixels / 1e6).toFixed(1)} MP, over the ${(limits.maxPixels / 1e6).toFixed(1)} MP limit`,
    );
  }
};

/**
 * Identifies an upload by its magic bytes and reads its dimensions from the header, checking the
 * structure up to the last byte (markers, chunks, blocks, boxes, strips) without decoding a single
 * pixel: a 20000×20000 PNG bomb is refused here, having read a few dozen bytes of it, and so is a
 * WebP or AVIF bomb, before its WebAssembly decoder is even loaded.
 *
 * @throws ImageRejectedError `not-an-image`, `unsupported`, `corrupt`, `truncated` or `too-large`.
 * @example
 * ```ts
 * probeImage(bytes, { maxPixels: 40_000_000 }); // { format: 'jpeg', width: 4032, height: 3024, … }
 * ```
 */
export function probeImage(bytes: Uint8Array, limits: ProbeLimits): ImageInfo {
  const format = detectFormat(bytes);
  if (!format) {
    const name = unsupportedFormatName(bytes);
    if (name) throw reject('unsupported', `${name} images are not supported`);
    throw reject(
      'not-an-image',
      bytes.length === 0
        ? 'the object is empty'
        : 'not a JPEG, PNG, GIF, TIFF, BMP, WebP or AVIF (by its magic bytes)',
    );
  }
  const info = probers[format](bytes);
  checkPixels({ ...info, pixels: info.decodedPixels }, limits);
  const { decodedPixels: _, ...rest } = info;
  return rest;
}

/** Each format's header reader; `decodedPixels` when decoding allocates more than width × height. */
const probers: Record<ImageFormat, (bytes: Uint8Array) => ImageInfo & { decodedPixels?: number }> =
  {
    jpeg: (bytes) => probeJpeg(bytes),
    png: (bytes) => probePng(bytes),
    gif: (bytes) => probeGif(bytes),
    tiff: (bytes) => {
      const header = tiffHeader(bytes);
      return { format: 'tiff', contentType: CONTENT_TYPES.tiff, orientation: 1, ...header };
    },
    bmp: (bytes) => ({
      format: 'bmp',
      contentType: CONTENT_TYPES.bmp,
      orientation: 1,
      ...bmpHeader(bytes),
    }),
    webp: (bytes) => {
      const { width, height, pixels, exif } = webpHeader(bytes);
      return {
        format: 'webp',
        contentType: CONTENT_TYPES.webp,
        width,
        height,
        decodedPixels: pixels,
        orientation: (exif && exifOrientation(asApp1(exif))) ?? 1,
      };
    },
    avif: (bytes) => ({ format: 'avif', contentType: CONTENT_TYPES.avif, ...avifHeader(bytes) }),
  };

/**
 * A WebP EXIF chunk as a JPEG APP1 payload: the chunk holds the TIFF structure itself, though
 * some writers keep JPEG's `Exif\0\0` in front of it.
 */
const asApp1 = (exif: Uint8Array) =>
  ascii(exif, 0, 6) === 'Exif\0\0'
    ? exif
    : Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exif]);

// ── JPEG ─────────────────────────────────────────────────────────────────────────────────────────

/** The EXIF orientation (tag 0x0112 of IFD0) in an APP1 payload, or undefined. */
export function exifOrientation(app1: Uint8Array): number | undefined {
  if (ascii(app1, 0, 6) !== 'Exif\0\0') return undefined;
  const tiff = app1.subarray(6);
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const u16 = (offset: number) => view.getUint16(offset, little);
  const u32 = (offset: number) => view.getUint32(offset, little);
  try {
    if (u16(2) !== 42) return undefined;
    const ifd = u32(4);
    const count = u16(ifd);
    for (let index = 0; index < count; index++) {
      const entry = ifd + 2 + index * 12;
      if (u16(entry) !== 0x0112) continue;
      const type = u16(entry + 2);
      const value = type === 3 ? u16(entry + 8) : type === 4 ? u32(entry + 8) : 0;
      return value >= 1 && value <= 8 ? value : undefined;
    }
  } catch {
    // A RangeError: the EXIF block is cut short. Orientation is a nicety; the image still decodes.
  }
  return undefined;
}

function probeJpeg(bytes: Uint8Array): ImageInfo {
  let header: (JpegHeader & { width: number; height: number }) | undefined;
  let orientation: number | undefined;
  let sawScan = false;
  for (const { marker, start, end } of jpegSegments(bytes)) {
    const segment = bytes.subarray(start, end);
    if (marker === JPEG_MARKER.APP1 && orientation === undefined) {
      orientation = exifOrientation(segment);
    }
    if (isSofMarker(marker) && !header) {
      if (segment.length < 6) throw reject('corrupt', 'JPEG frame header too short');
      header = {
        frameType: marker - 0xc0,
        progressive: marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce,
        precision: segment[0] ?? 0,
        height: ((segment[1] ?? 0) << 8) | (segment[2] ?? 0),
        width: ((segment[3] ?? 0) << 8) | (segment[4] ?? 0),
        components: segment[5] ?? 0,
        sampling: Array.from({ length: segment[5] ?? 0 }, (_, i) => ({
          h: (segment[7 + i * 3] ?? 0) >> 4,
          v: (segment[7 + i * 3] ?? 0) & 15,
        })),
      };
    }
    if (marker === JPEG_MARKER.SOS) {
      if (!header) throw reject('corrupt', 'JPEG scan before its frame header');
      sawScan = true;
    }
  }
  if (!header || !sawScan) throw reject('corrupt', 'the JPEG has no frame or no image data');
  if (header.width === 0 || header.height === 0) {
    // Height 0 means "defined later by a DNL marker", which almost nothing supports.
    throw reject('unsupported', 'JPEG without its dimensions in the frame header');
  }
  if (header.components !== 1 && header.components !== 3 && header.components !== 4) {
    throw reject('corrupt', `JPEG with ${header.components} components`);
  }
  // Lossless (SOF3/7/11/15), hierarchical (SOF5-7, 13-15) and arithmetic-coded (SOF9+) JPEGs are
  // rare and jpeg-js decodes none of them; saying so beats an obscure decoder error.
  if (header.frameType > 2) {
    throw reject('unsupported', `JPEG coding process SOF${header.frameType}`);
  }
  if (header.precision !== 8) {
    throw reject('unsupported', `${header.precision}-bit JPEG`);
  }
  return {
    format: 'jpeg',
    contentType: CONTENT_TYPES.jpeg,
    width: header.width,
    height: header.height,
    orientation: orientation ?? 1,
    jpeg: {
      frameType: header.frameType,
      progressive: header.progressive,
      precision: header.precision,
      components: header.components,
      sampling: header.sampling,
    },
  };
}

// ── PNG ──────────────────────────────────────────────────────────────────────────────────────────

function probePng(bytes: Uint8Array): ImageInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 33) throw reject('truncated', 'the PNG ends inside its header');
  if (view.getUint32(8) !== 13 || ascii(bytes, 12, 4) !== 'IHDR') {
    throw reject('corrupt', 'the PNG does not start with its IHDR chunk');
  }
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24] ?? 0;
  const colorType = bytes[25] ?? 0;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw reject('corrupt', `PNG with impossible dimensions ${width}×${height}`);
  }
  const allowedDepths: Record<number, number[]> = {
    0: [1, 2, 4, 8, 16],
    2: [8, 16],
    3: [1, 2, 4, 8],
    4: [8, 16],
    6: [8, 16],
  };
  if (!allowedDepths[colorType]?.includes(bitDepth)) {
    throw reject('corrupt', `PNG with colour type ${colorType} and bit depth ${bitDepth}`);
  }
  // Walk the chunks (a jump per chunk) so a cut-off upload is named as such, not as corrupt.
  let pos = 8;
  let sawData = false;
  for (;;) {
    if (pos + 8 > bytes.length) throw reject('truncated', 'the PNG ends before its IEND chunk');
    const length = view.getUint32(pos);
    const type = ascii(bytes, pos + 4, 4);
    const end = pos + 12 + length;
    if (length > 0x7fffffff) throw reject('corrupt', `bad PNG chunk length at offset ${pos}`);
    if (end > bytes.length) throw reject('truncated', `the PNG ends inside its ${type} chunk`);
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') break;
    pos = end;
  }
  if (!sawData) throw reject('corrupt', 'the PNG has no image data');
  return {
    format: 'png',
    contentType: CONTENT_TYPES.png,
    width,
    height,
    orientation: 1,
    bitDepth,
  };
}

// ── GIF ──────────────────────────────────────────────────────────────────────────────────────────

function probeGif(bytes: Uint8Array): ImageInfo {
  if (bytes.length < 13) throw reject('truncated', 'the GIF ends inside its header');
  const u16 = (offset: number) => (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
  const width = u16(6);
  const height = u16(8);
  if (width === 0 || height === 0) throw reject('corrupt', 'GIF with a zero-sized screen');
  const packed = bytes[10] ?? 0;
  let pos = 13 + (packed & 0x80 ? 3 * (1 << ((packed & 7) + 1)) : 0);
  let frames = 0;
  const truncated = () => reject('truncated', 'the GIF ends inside a block');
  const skipSubBlocks = () => {
    for (;;) {
      if (pos >= bytes.length) throw truncated();
      const size = bytes[pos] ?? 0;
      pos += 1 + size;
      if (size === 0) return;
    }
  };
  // Only the first frame is thumbnailed; a cut-off tail after it does not matter to omggif
  // as long as the frame itself is whole, but omggif reads every block, so walk them all.
  for (;;) {
    if (pos >= bytes.length) {
      if (frames === 0) throw truncated();
      break; // A missing trailer is common and harmless.
    }
    const block = bytes[pos] ?? 0;
    if (block === 0x3b) break;
    if (block === 0x21) {
      pos += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      if (pos + 10 > bytes.length) throw truncated();
      const frameWidth = u16(pos + 5);
      const frameHeight = u16(pos + 7);
      const framePacked = bytes[pos + 9] ?? 0;
      // omggif decodes a frame into a buffer of its own size: a 65535×65535 frame in a 1×1 GIF
      // would be a 4 GB allocation, so frames must fit the screen.
      if (frameWidth * frameHeight > width * height || frameWidth === 0 || frameHeight === 0) {
        throw reject('corrupt', `GIF frame ${frameWidth}×${frameHeight} outside its screen`);
      }
      pos += 10 + (framePacked & 0x80 ? 3 * (1 << ((framePacked & 7) + 1)) : 0);
      pos += 1; // LZW minimum code size
      skipSubBlocks();
      frames++;
    } else {
      throw reject('corrupt', `unknown GIF block 0x${block.toString(16)} at offset ${pos}`);
    }
  }
  if (frames === 0) throw reject('corrupt', 'the GIF has no frame');
  return { format: 'gif', contentType: CONTENT_TYPES.gif, width, height, orientation: 1 };
}
