import type { ImageFormat } from './probe';
import { loadWasmCodec } from './wasmCodecs';

/** Decoded pixels: RGBA, 4 bytes per pixel (jimp's bitmap layout). */
export interface RgbaBitmap {
  data: Buffer;
  width: number;
  height: number;
}

/** A format's decoder and encoder, loaded when an image of that format first arrives. */
export interface LazyCodec {
  decode(bytes: Buffer): RgbaBitmap | Promise<RgbaBitmap>;
  encode(bitmap: RgbaBitmap): Buffer | Promise<Buffer>;
}

/** The formats whose codec is loaded on demand rather than with the module. */
export type LazyFormat = Extract<ImageFormat, 'tiff' | 'bmp' | 'webp' | 'avif'>;

/**
 * Dynamic imports, so the bundle evaluates a codec only when its format arrives: a JPEG never
 * loads the TIFF decoder (esbuild keeps each `import()` target behind a lazy initialiser), and
 * the WebP and AVIF codecs read and compile their WebAssembly only then (wasmCodecs.ts).
 */
const loaders: Record<LazyFormat, () => Promise<LazyCodec>> = {
  tiff: async () => {
    const { default: tiff } = await import('@jimp/js-tiff');
    return tiff();
  },
  bmp: async () => {
    const { default: bmp } = await import('@jimp/js-bmp');
    const codec = bmp();
    // The BMP encoder swaps the channels of the bitmap it is given in place: give it a copy.
    return {
      decode: (bytes) => codec.decode(bytes),
      encode: (bitmap) => codec.encode({ ...bitmap, data: Buffer.from(bitmap.data) }),
    };
  },
  webp: () => loadWasmCodec('webp'),
  avif: () => loadWasmCodec('avif'),
};

const loaded = new Map<LazyFormat, Promise<LazyCodec>>();

/** The codec of a lazily loaded format, imported on first use and kept for the next image. */
export function lazyCodec(format: LazyFormat): Promise<LazyCodec> {
  let codec = loaded.get(format);
  if (!codec) {
    codec = loaders[format]();
    // A failed import is not cached: the next image tries again.
    codec.catch(() => loaded.delete(format));
    loaded.set(format, codec);
  }
  return codec;
}

export const isLazyFormat = (format: ImageFormat): format is LazyFormat => format in loaders;
