import { ImageRejectedError } from './errors';

const truncated = (message: string) => new ImageRejectedError('truncated', message);
const corrupt = (message: string) => new ImageRejectedError('corrupt', message);

const ascii = (bytes: Uint8Array, offset: number, length: number) =>
  String.fromCharCode(...bytes.subarray(offset, offset + length));

/**
 * A WebP's canvas size (from VP8X, else from its VP8 or VP8L frame) and its EXIF chunk if any,
 * after walking the RIFF chunks to the end the RIFF header announces. `pixels` is the larger of
 * canvas and frame, so a small canvas cannot hide a large frame from the pixel limit (libwebp
 * refuses a still image whose frame and canvas differ, but only once it is loaded).
 *
 * @throws ImageRejectedError `truncated`, `corrupt`, or `unsupported` for animations.
 */
export function webpHeader(bytes: Uint8Array): {
  width: number;
  height: number;
  pixels: number;
  exif?: Uint8Array;
} {
  if (bytes.length < 20) throw truncated('the WebP ends inside its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = 8 + view.getUint32(4, true);
  if (riffEnd > bytes.length) throw truncated('the WebP ends before its RIFF chunk does');
  let size: { width: number; height: number } | undefined;
  let frame: { width: number; height: number } | undefined;
  let exif: Uint8Array | undefined;
  let sawImage = false;
  for (let pos = 12; pos < riffEnd; ) {
    if (pos + 8 > riffEnd) throw corrupt('WebP chunk header past the RIFF end');
    const type = ascii(bytes, pos, 4);
    const length = view.getUint32(pos + 4, true);
    const payload = pos + 8;
    if (payload + length > riffEnd) throw truncated(`the WebP ends inside its ${type} chunk`);
    if (type === 'VP8X' && !size) {
      if (length < 10) throw corrupt('WebP VP8X chunk too short');
      if ((bytes[payload] ?? 0) & 0x02) {
        throw new ImageRejectedError('unsupported', 'animated WebP images are not supported');
      }
      const u24 = (at: number) =>
        (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16);
      size = { width: 1 + u24(payload + 4), height: 1 + u24(payload + 7) };
    } else if (type === 'VP8 ') {
      sawImage = true;
      if (length < 10) throw corrupt('WebP VP8 chunk too short');
      if (
        bytes[payload + 3] !== 0x9d ||
        bytes[payload + 4] !== 0x01 ||
        bytes[payload + 5] !== 0x2a
      ) {
        throw corrupt('WebP VP8 frame without its start code');
      }
      frame ??= {
        width: view.getUint16(payload + 6, true) & 0x3fff,
        height: view.getUint16(payload + 8, true) & 0x3fff,
      };
    } else if (type === 'VP8L') {
      sawImage = true;
      if (length < 5 || bytes[payload] !== 0x2f)
        throw corrupt('WebP VP8L chunk without its signature');
      const bits = view.getUint32(payload + 1, true);
      frame ??= { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
    } else if (type === 'EXIF') {
      exif ??= bytes.subarray(payload, payload + length);
    }
    pos = payload + length + (length & 1);
  }
  if (!frame || !sawImage) throw corrupt('the WebP has no image data');
  size ??= frame;
  if (size.width === 0 || size.height === 0) throw corrupt('WebP with a zero-sized image');
  const pixels = Math.max(size.width * size.height, frame.width * frame.height);
  return exif ? { ...size, pixels, exif } : { ...size, pixels };
}

/**
 * The EXIF orientation an AVIF's `irot` (quarter turns anti-clockwise) and `imir` (0: mirrored
 * left to right, 1: top to bottom) amount to, in the order MIAF applies them: rotation first.
 */
const HEIF_ORIENTATION = {
  rotated: [1, 8, 3, 6],
  mirroredLeftRight: [2, 7, 4, 5],
  mirroredTopBottom: [4, 5, 2, 7],
} as const;

/**
 * An AVIF's size from its `ispe` properties (the largest, so an alpha plane or thumbnail item
 * cannot hide the primary image's size), after checking that every top-level box, the media data
 * included, ends inside the file; and its orientation from its `irot` and `imir` properties,
 * which decoders leave to the application (taken as the image's: an AVIF holds one picture).
 *
 * @throws ImageRejectedError `truncated` or `corrupt`.
 */
export function avifHeader(bytes: Uint8Array): {
  width: number;
  height: number;
  orientation: number;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let largest: { width: number; height: number } | undefined;
  let sawMediaData = false;
  let quarterTurns = 0;
  let mirrorAxis: number | undefined;

  /** Walks the boxes in [from, to); `inside` lists the box types whose children are walked. */
  const walk = (from: number, to: number, depth: number) => {
    for (let pos = from; pos < to; ) {
      if (pos + 8 > to) throw truncated('the AVIF ends inside a box header');
      let size = view.getUint32(pos);
      const type = ascii(bytes, pos + 4, 4);
      let header = 8;
      if (size === 1) {
        if (pos + 16 > to) throw truncated('the AVIF ends inside a box header');
        size = Number(view.getBigUint64(pos + 8));
        header = 16;
      } else if (size === 0) {
        size = to - pos; // to the end of the enclosing box (or file)
      }
      if (size < header) throw corrupt(`AVIF box ${JSON.stringify(type)} with size ${size}`);
      if (pos + size > to) throw truncated(`the AVIF ends inside its ${type} box`);
      const body = pos + header;
      if (type === 'mdat') sawMediaData = true;
      // meta is a full box: 4 bytes of version and flags before its children.
      if (type === 'meta' && depth === 0) walk(body + 4, pos + size, depth + 1);
      if ((type === 'iprp' || type === 'ipco') && depth > 0) walk(body, pos + size, depth + 1);
      if (type === 'ispe' && depth > 0) {
        if (size < header + 12) throw corrupt('AVIF ispe box too short');
        const width = view.getUint32(body + 4);
        const height = view.getUint32(body + 8);
        if (!largest || width * height > largest.width * largest.height)
          largest = { width, height };
      }
      if (type === 'irot' && depth > 0 && size > header) quarterTurns = (bytes[body] ?? 0) & 3;
      if (type === 'imir' && depth > 0 && size > header) mirrorAxis = (bytes[body] ?? 0) & 1;
      pos += size;
    }
  };
  walk(0, bytes.length, 0);
  if (!largest || !sawMediaData) throw corrupt('the AVIF has no image size or no media data');
  if (largest.width === 0 || largest.height === 0) throw corrupt('AVIF with a zero-sized image');
  const orientations =
    mirrorAxis === undefined
      ? HEIF_ORIENTATION.rotated
      : mirrorAxis === 0
        ? HEIF_ORIENTATION.mirroredLeftRight
        : HEIF_ORIENTATION.mirroredTopBottom;
  return { ...largest, orientation: orientations[quarterTurns] ?? 1 };
}
