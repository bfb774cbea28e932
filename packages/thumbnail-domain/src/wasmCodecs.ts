import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { LazyCodec } from './rasterCodecs';
import WASM_FILES from './wasmFiles.json';

/** The formats decoded and encoded by jsquash's WebAssembly codecs. */
export type WasmFormat = keyof typeof WASM_FILES;

/** A compiled module (neither lib ES2023 nor @types/node 20 declares the WebAssembly API). */
interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> };

interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * jsquash's decode.js and encode.js as they are (their .d.ts predate `init(module, overrides)`).
 * `init` with both arguments instantiates the given module instead of fetching the .wasm by URL.
 */
interface JsquashDecoder {
  init(module: WasmModule, moduleOptionOverrides: object): Promise<unknown>;
  default(bytes: Uint8Array): Promise<Pixels | null>;
}
interface JsquashEncoder {
  init(module: WasmModule, moduleOptionOverrides: object): Promise<unknown>;
  default(image: Pixels, options: object): Promise<ArrayBuffer>;
}

/**
 * The WebAssembly memory each decoder grows to, in bytes per pixel of the image, measured on
 * 2.5 and 12 MP photos (BENCHMARKS.md): libwebp 5–7; libavif 32 (8-bit 4:2:0), 40 (8-bit 4:4:4)
 * and 49 (10-bit), its AV1 decoder's frame buffers. The memory is held until the image is done.
 */
export const WASM_DECODE_BYTES_PER_PIXEL = {
  webp: 7,
  avif: 49,
} as const satisfies Record<WasmFormat, number>;

/**
 * Encoder settings of the thumbnails. WebP at quality 80, as JPEG thumbnails. AVIF at quality 60
 * and speed 8: a 128 px thumbnail encodes in ≈ 50 ms instead of ≈ 150 ms at jsquash's default
 * speed 6, for a file a few bytes larger.
 */
export const WASM_ENCODER_OPTIONS = {
  webp: { quality: 80 },
  avif: { quality: 60, speed: 8 },
} as const satisfies Record<WasmFormat, object>;

/**
 * Where a codec's .wasm file is at run time. Bundled (the Lambda zip, serverless-offline, the
 * benchmark), beside the bundle and named after it, `handler.webp_dec.wasm` beside `handler.js`,
 * as the build copies it there (services/thumbnail/bundling/codecWasmFiles.cjs says why the
 * name); not bundled (tests, tsx), in its npm package. The bundle is CommonJS: `__filename` is
 * the bundle's own path.
 *
 * @example
 * ```ts
 * wasmFilePath('@jsquash/webp/codec/dec/webp_dec.wasm');
 * // '/var/task/src/functions/createThumbnail/handler.webp_dec.wasm' in Lambda
 * ```
 */
export function wasmFilePath(specifier: string, bundleFile: string = __filename): string {
  const bundleName = basename(bundleFile, extname(bundleFile));
  const besideBundle = join(dirname(bundleFile), `${bundleName}.${basename(specifier)}`);
  if (existsSync(besideBundle)) return besideBundle;
  try {
    return require.resolve(specifier);
  } catch (error) {
    throw new Error(`${basename(specifier)} is neither at ${besideBundle} nor installed`, {
      cause: error,
    });
  }
}

/**
 * Emscripten module settings for `init`. `locateFile` only keeps the glue from building the
 * .wasm's URL from `import.meta.url`, which is empty in the CommonJS bundle: WebP's SIMD encoder
 * glue would throw "Invalid URL" (the other glue files patch `import.meta.url` in Node). The URL
 * is never fetched: the module is instantiated from the one compiled here.
 */
const MODULE_OVERRIDES = { locateFile: (file: string) => file };

async function compile(specifier: string): Promise<WasmModule> {
  return WebAssembly.compile(await readFile(wasmFilePath(specifier)));
}

/** The jsquash modules of a format, imported on first use (esbuild keeps them lazy). */
const jsquashModules: Record<WasmFormat, () => Promise<[unknown, unknown]>> = {
  webp: () => Promise.all([import('@jsquash/webp/decode.js'), import('@jsquash/webp/encode.js')]),
  avif: () => Promise.all([import('@jsquash/avif/decode.js'), import('@jsquash/avif/encode.js')]),
};

/**
 * The WebP or AVIF codec: imports jsquash's decoder and encoder, reads and compiles their .wasm
 * (the non-threaded builds; WebP's SIMD encoder, which jsquash picks on every engine with WASM
 * SIMD, so every Node on Lambda) and instantiates them from the compiled modules.
 *
 * Every image is decoded by an instance of its own, made from the compiled module in a few
 * milliseconds: WASM memory only grows, so a 40 MP image would otherwise keep hundreds of MB for
 * the container's life, and a corrupt file could leave a broken instance behind. The encoder,
 * which only ever sees thumbnails, is kept, and replaced after a failure.
 */
export async function loadWasmCodec(format: WasmFormat): Promise<LazyCodec> {
  const files = WASM_FILES[format];
  const [[decoderModule, encoderModule], decoderWasm, encoderWasm] = await Promise.all([
    jsquashModules[format](),
    compile(files.decoder),
    compile(files.encoder),
  ]);
  const decoder = decoderModule as JsquashDecoder;
  const encoder = encoderModule as JsquashEncoder;
  let encoderReady = encoder.init(encoderWasm, MODULE_OVERRIDES);
  await encoderReady;

  return {
    async decode(bytes) {
      await decoder.init(decoderWasm, MODULE_OVERRIDES);
      const image = await decoder.default(
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      );
      if (!image) throw new Error('Decoding error');
      const { data, width, height } = image;
      return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height };
    },
    async encode(bitmap) {
      await encoderReady;
      // A copy of its own: jsquash's AVIF encoder reads the whole `data.buffer`, which for a
      // small Buffer is Node's shared pool.
      const pixels = {
        data: new Uint8ClampedArray(bitmap.data),
        width: bitmap.width,
        height: bitmap.height,
      };
      try {
        return Buffer.from(await encoder.default(pixels, WASM_ENCODER_OPTIONS[format]));
      } catch (error) {
        encoderReady = encoder.init(encoderWasm, MODULE_OVERRIDES);
        // Awaited by the next encode; a failure there is that image's error, not an unhandled one.
        encoderReady.catch(() => undefined);
        throw error;
      }
    },
  };
}
