import { ImageRejectedError } from './errors';

const truncated = (message: string) => new ImageRejectedError('truncated', message);
const corrupt = (message: string) => new ImageRejectedError('corrupt', message);

/** More pages than any product picture has; a longer IFD chain is a loop or a trap. */
const MAX_TIFF_PAGES = 64;

const TIFF_TAG = {
  width: 256,
  height: 257,
  stripOffsets: 273,
  stripByteCounts: 279,
  tileOffsets: 324,
  tileByteCounts: 325,
} as const;

/**
 * A TIFF's size from its first page (IFD0), after walking every page's directory and checking that
 * each strip or tile lies inside the file. `decodedPixels` sums the pages: the TIFF codec decodes
 * them all, so a small first page cannot smuggle a 400 MP second one past the pixel limit.
 *
 * @throws ImageRejectedError `truncated` (a directory or image data past the end), `corrupt` (no
 *   dimensions, a directory loop), `unsupported` (BigTIFF).
 */
export function tiffHeader(bytes: Uint8Array): {
  width: number;
  height: number;
  decodedPixels: number;
} {
  if (bytes.length < 8) throw truncated('the TIFF ends inside its header');
  const little = bytes[0] === 0x49;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (offset: number) => view.getUint16(offset, little);
  const u32 = (offset: number) => view.getUint32(offset, little);
  if (u16(2) === 43)
    throw new ImageRejectedError('unsupported', 'BigTIFF images are not supported');

  /** A tag's values (SHORT or LONG), read where they are: inline or at their offset. */
  const values = (entry: number): number[] => {
    const type = u16(entry + 2);
    const count = u32(entry + 4);
    const size = type === 3 ? 2 : type === 4 ? 4 : 0;
    if (size === 0) throw corrupt(`TIFF tag ${u16(entry)} of type ${type}`);
    const at = count * size <= 4 ? entry + 8 : u32(entry + 8);
    if (at + count * size > bytes.length) throw truncated('the TIFF ends inside a tag');
    return Array.from({ length: count }, (_, i) =>
      size === 2 ? u16(at + i * 2) : u32(at + i * 4),
    );
  };

  let first: { width: number; height: number } | undefined;
  let decodedPixels = 0;
  const seen = new Set<number>();
  for (let ifd = u32(4); ifd !== 0; ) {
    if (seen.has(ifd) || seen.size >= MAX_TIFF_PAGES) throw corrupt('TIFF directory loop');
    seen.add(ifd);
    if (ifd + 2 > bytes.length) throw truncated('the TIFF ends before its directory');
    const count = u16(ifd);
    const next = ifd + 2 + count * 12;
    if (next + 4 > bytes.length) throw truncated('the TIFF ends inside its directory');
    const tags = new Map<number, number>();
    for (let i = 0; i < count; i++) tags.set(u16(ifd + 2 + i * 12), ifd + 2 + i * 12);
    const tag = (id: number) => {
      const entry = tags.get(id);
      return entry === undefined ? undefined : values(entry);
    };
    const width = tag(TIFF_TAG.width)?.[0] ?? 0;
    const height = tag(TIFF_TAG.height)?.[0] ?? 0;
    if (width === 0 || height === 0) throw corrupt('TIFF page without its dimensions');
    const offsets = tag(TIFF_TAG.stripOffsets) ?? tag(TIFF_TAG.tileOffsets);
    const byteCounts = tag(TIFF_TAG.stripByteCounts) ?? tag(TIFF_TAG.tileByteCounts);
    if (!offsets || !byteCounts || offsets.length !== byteCounts.length) {
      throw corrupt('TIFF page without its strip or tile table');
    }
    offsets.forEach((offset, i) => {
      if (offset + (byteCounts[i] ?? 0) > bytes.length) {
        throw truncated('the TIFF ends inside its image data');
      }
    });
    first ??= { width, height };
    decodedPixels += width * height;
    ifd = u32(next);
  }
  if (!first) throw corrupt('the TIFF has no page');
  return { ...first, decodedPixels };
}

/** Bits per pixel the BMP codec reads. */
const BMP_BIT_DEPTHS = [1, 4, 8, 16, 24, 32];
/** BI_RGB, BI_RLE8, BI_RLE4, BI_BITFIELDS. */
const BMP_COMPRESSIONS = [0, 1, 2, 3];

/**
 * A BMP's size from its DIB header (a negative height is a top-down bitmap), with the pixel array
 * checked to lie inside the file.
 *
 * @throws ImageRejectedError `truncated`, `corrupt` (impossible size or depth) or `unsupported`
 *   (a compression such as embedded JPEG or PNG).
 */
export function bmpHeader(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 26) throw truncated('the BMP ends inside its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(10, true);
  const dibSize = view.getUint32(14, true);
  if (14 + dibSize > bytes.length) throw truncated('the BMP ends inside its header');
  const core = dibSize === 12;
  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const signedHeight = core ? view.getUint16(20, true) : view.getInt32(22, true);
  const height = Math.abs(signedHeight);
  const bitDepth = view.getUint16(core ? 24 : 28, true);
  const compression = core ? 0 : view.getUint32(30, true);
  if (width <= 0 || height === 0)
    throw corrupt(`BMP with impossible dimensions ${width}×${height}`);
  if (!BMP_BIT_DEPTHS.includes(bitDepth)) throw corrupt(`BMP with ${bitDepth} bits per pixel`);
  if (!BMP_COMPRESSIONS.includes(compression)) {
    throw new ImageRejectedError('unsupported', `BMP compression ${compression}`);
  }
  // Rows are padded to 4 bytes; run-length data has no fixed size, but must start in the file.
  const rowBytes = Math.ceil((width * bitDepth) / 32) * 4;
  const dataEnd =
    compression === 1 || compression === 2 ? dataOffset + 1 : dataOffset + rowBytes * height;
  if (dataEnd > bytes.length) throw truncated('the BMP ends inside its pixel data');
  return { width, height };
}
