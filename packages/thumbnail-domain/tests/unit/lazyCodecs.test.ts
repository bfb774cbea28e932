import { statSync } from 'node:fs';
import { makeThumbnail } from '../../src';
// Not the testing index: its TIFF and BMP helpers would load the codecs themselves.
import { avifHeader, rleBmpBomb, testCard, webpHeader } from '../../testing/images';
import { encodeJpeg } from '../../testing/jpegEncoder';
import { encodeWebp } from '../../testing/wasmFormats';

// Counted where each codec module is first required; the factory runs on the first import only.
// jsquash's modules are served as testing/jsquashInJest.ts serves them (it says why).
const mockLoads: Record<string, number> = {};
const mockCounted = (name: string, load: () => unknown) => {
  mockLoads[name] = (mockLoads[name] ?? 0) + 1;
  return load();
};
jest.mock('@jimp/js-tiff', () => mockCounted('tiff', () => jest.requireActual('@jimp/js-tiff')));
jest.mock('@jimp/js-bmp', () => mockCounted('bmp', () => jest.requireActual('@jimp/js-bmp')));
for (const name of ['webp/decode', 'webp/encode', 'avif/decode', 'avif/encode']) {
  jest.mock(`@jsquash/${name}.js`, () =>
    mockCounted(name, () =>
      jest.requireActual('../../testing/requireJsquash').requireJsquash(`@jsquash/${name}.js`),
    ),
  );
}

interface WasmApi {
  compile(bytes: Uint8Array): Promise<unknown>;
}
const compiled: number[] = [];
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const compile = wasm.compile.bind(wasm);
jest.spyOn(wasm, 'compile').mockImplementation(async (bytes) => {
  compiled.push(bytes.length);
  return compile(bytes);
});

const limits = { maxPixels: 40_000_000 };

describe('makeThumbnail (codec loading)', () => {
  it('loads no TIFF or BMP codec for a JPEG, and only the BMP codec for a BMP', async () => {
    await makeThumbnail(encodeJpeg(testCard(300, 200)), limits);
    expect(mockLoads).toEqual({});

    // An RLE bitmap of one end-of-bitmap code: a valid 300×200 BMP of palette colour 0.
    const thumbnail = await makeThumbnail(rleBmpBomb(300, 200), limits);

    expect(thumbnail).toMatchObject({ contentType: 'image/bmp', width: 128, height: 85 });
    expect(mockLoads).toEqual({ bmp: 1 });
    expect(compiled).toEqual([]);
  });

  it('refuses WebP and AVIF bombs, and AVIFs too large for the decoder memory, loading nothing', async () => {
    await expect(makeThumbnail(webpHeader(16_000, 16_000), limits)).rejects.toMatchObject({
      reason: 'too-large',
      message: '16000×16000 is 256.0 MP, over the 40.0 MP limit',
    });
    // 16 MP passes the pixel limit, but libavif would grow to ≈ 49 bytes a pixel.
    await expect(makeThumbnail(avifHeader(4000, 4000), limits)).rejects.toMatchObject({
      reason: 'too-large',
      message: 'decoding this 4000×4000 AVIF needs ≈ 784 MB, over the 600 MB allowed',
    });

    expect(mockLoads).toEqual({ bmp: 1 });
    expect(compiled).toEqual([]);
  });

  it('imports and compiles the WebP codec for a WebP alone, once, and never the AVIF one', async () => {
    const webp = await encodeWebp(testCard(300, 200)); // the test's own encoder: webp/encode
    expect(compiled).toEqual([]);

    await makeThumbnail(webp, limits);
    await makeThumbnail(webp, limits);

    expect(mockLoads).toEqual({ bmp: 1, 'webp/encode': 1, 'webp/decode': 1 });
    // webp_dec.wasm and webp_enc_simd.wasm, read from their package, compiled once each.
    const size = (file: string) => statSync(require.resolve(`@jsquash/webp/codec/${file}`)).size;
    expect(compiled.sort()).toEqual(
      [size('dec/webp_dec.wasm'), size('enc/webp_enc_simd.wasm')].sort(),
    );
  }, 30_000);
});
