import bmp from '@jimp/js-bmp';
import tiff from '@jimp/js-tiff';
import type { RgbaImage } from './jpegEncoder';

/** An uncompressed RGBA TIFF of an image, as jimp's TIFF codec writes it. */
export function encodeTiff(image: RgbaImage): Buffer {
  return tiff().encode({ ...image, data: Buffer.from(image.data) });
}

/** A BMP of an image, as jimp's BMP codec writes it (it reorders the copy's channels). */
export function encodeBmp(image: RgbaImage): Buffer {
  return bmp().encode({ ...image, data: Buffer.from(image.data) });
}

/** Decodes a TIFF or BMP (a thumbnail, say) to RGBA. */
export function decodeRaster(format: 'tiff' | 'bmp', bytes: Buffer): RgbaImage {
  return format === 'tiff' ? tiff().decode(bytes) : bmp().decode(bytes);
}
