import '../../testing/jsquashInJest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageRejectedError, makeThumbnail, probeImage } from '../../src';
import { lazyCodec } from '../../src/rasterCodecs';
import { wasmFilePath } from '../../src/wasmCodecs';
import {
  decodeAvif,
  decodeWebp,
  encodeAvif,
  encodeWebp,
  type RgbaImage,
  testCard,
  withAvifTransform,
  withWebpExif,
} from '../../testing';
import { pixel } from '../helpers/fixtures';

// Real files, made by jsquash's encoders, through the real pipeline and its WebAssembly codecs;
// the thumbnails read back by jsquash's decoders. AVIF encoding is slow on a busy machine.
jest.setTimeout(60_000);

const limits = { maxPixels: 40_000_000 };
const card = testCard(240, 180);

const FORMATS = [
  { name: 'WebP', format: 'webp', encode: encodeWebp, decode: decodeWebp },
  { name: 'AVIF', format: 'avif', encode: encodeAvif, decode: decodeAvif },
] as const;

async function rejection(bytes: Buffer) {
  try {
    await makeThumbnail(bytes, limits);
  } catch (error) {
    if (error instanceof ImageRejectedError)
      return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

/**
 * Which corners of a thumbnail hold the test card's top-left marker: pure red, unlike the card's
 * top-right corner, which is red too but with some blue.
 */
function redCorner(image: RgbaImage): string[] {
  const isMarker = ([r, g, b]: number[]) => (r ?? 0) > 200 && (g ?? 0) < 40 && (b ?? 0) < 35;
  const inset = 6;
  const corners = {
    'top-left': [inset, inset],
    'top-right': [image.width - 1 - inset, inset],
    'bottom-left': [inset, image.height - 1 - inset],
    'bottom-right': [image.width - 1 - inset, image.height - 1 - inset],
  } as const;
  return Object.entries(corners)
    .filter(([, [x, y]]) => isMarker(pixel(image, x, y)))
    .map(([name]) => name);
}

describe.each(FORMATS)('$name uploads', ({ name, format, encode, decode }) => {
  let file: Buffer;
  beforeAll(async () => {
    file = await encode(card);
  });

  it('get a thumbnail in their own format, 128 px, that decodes with the corner kept', async () => {
    const thumbnail = await makeThumbnail(file, limits);

    expect(thumbnail).toMatchObject({
      format,
      contentType: `image/${format}`,
      width: 128,
      height: 96,
      sourceWidth: 240,
      sourceHeight: 180,
      decodedWith: 'full',
    });
    expect(probeImage(thumbnail.body, limits)).toMatchObject({ format, width: 128, height: 96 });
    const decoded = await decode(thumbnail.body);
    expect([decoded.width, decoded.height]).toEqual([128, 96]);
    expect(redCorner(decoded)).toEqual(['top-left']);
  });

  it('keep their transparency', async () => {
    const translucent = await encode(testCard(160, 120, { alpha: true }));

    const decoded = await decode((await makeThumbnail(translucent, limits)).body);

    // The card's alpha falls from 255 at the top to 51 at the bottom.
    expect(pixel(decoded, 64, 2)[3]).toBeGreaterThan(230);
    expect(pixel(decoded, 64, 93)[3]).toBeLessThan(80);
  });

  it('are refused as a bomb from the size in their header, before any decoding', async () => {
    const bomb = Buffer.from(file);
    if (format === 'webp') {
      // The VP8 frame header's 14-bit width and height, at their maximum: 268 MP.
      const frame = bomb.indexOf('VP8 ', 12, 'latin1') + 8;
      bomb.writeUInt16LE(16_383, frame + 6);
      bomb.writeUInt16LE(16_383, frame + 8);
    } else {
      const ispe = bomb.indexOf('ispe', 0, 'latin1') + 8;
      bomb.writeUInt32BE(20_000, ispe);
      bomb.writeUInt32BE(20_000, ispe + 4);
    }

    expect(await rejection(bomb)).toEqual({
      reason: 'too-large',
      message: expect.stringMatching(/^\d+×\d+ is (268\.4|400\.0) MP, over the 40\.0 MP limit$/),
    });
  });

  it('are refused when their decoder would need more memory than allowed', async () => {
    await expect(makeThumbnail(file, { ...limits, maxWasmDecodeMB: 0.1 })).rejects.toMatchObject({
      reason: 'too-large',
      message: expect.stringMatching(new RegExp(`^decoding this 240×180 ${name} needs ≈ \\d+ MB`)),
    });
  });

  it('are called truncated when cut off, corrupt when their data is garbage, and the next one decodes', async () => {
    const garbage = Buffer.from(file);
    // From past the headers to the end: the structure stays whole, the compressed data does not.
    const data = format === 'webp' ? 30 : file.indexOf('mdat', 0, 'latin1') + 4;
    garbage.fill(0x55, data);

    expect(await rejection(file.subarray(0, file.length - 40))).toMatchObject({
      reason: 'truncated',
    });
    expect(await rejection(garbage)).toEqual({
      reason: 'corrupt',
      message: `the ${name} does not decode: Decoding error`,
    });
    await expect(makeThumbnail(file, limits)).resolves.toMatchObject({ width: 128, height: 96 });
  });
});

describe('Orientation of WebP and AVIF', () => {
  it.each([
    ['raw TIFF data', false],
    ['JPEG’s Exif prefix', true],
  ])('applies a WebP’s EXIF orientation (chunk with %s)', async (_, prefixed) => {
    const webp = withWebpExif(await encodeWebp(card), card, 6, prefixed);

    const thumbnail = await makeThumbnail(webp, limits);

    // 6: turned a quarter clockwise for display, so the top-left corner goes top right.
    expect(thumbnail).toMatchObject({ orientation: 6, width: 96, height: 128, sourceWidth: 180 });
    expect(redCorner(await decodeWebp(thumbnail.body))).toEqual(['top-right']);
  });

  it('reads an AVIF’s irot and imir as the EXIF orientation they amount to', async () => {
    const avif = await encodeAvif(testCard(64, 48));
    const orientation = (transform: Parameters<typeof withAvifTransform>[1]) =>
      probeImage(withAvifTransform(avif, transform), limits).orientation;

    expect(orientation({})).toBe(1);
    expect([0, 1, 2, 3].map((quarterTurns) => orientation({ quarterTurns }))).toEqual([1, 8, 3, 6]);
    expect(
      [0, 1, 2, 3].map((quarterTurns) => orientation({ quarterTurns, mirrorAxis: 0 })),
    ).toEqual([2, 7, 4, 5]);
    expect(
      [0, 1, 2, 3].map((quarterTurns) => orientation({ quarterTurns, mirrorAxis: 1 })),
    ).toEqual([4, 5, 2, 7]);
  });

  it.each([
    [{ quarterTurns: 3 }, 6, 'top-right'],
    [{ quarterTurns: 1, mirrorAxis: 0 as const }, 7, 'bottom-right'],
  ])(
    'turns an AVIF with %o (orientation %i), which its decoder leaves as stored',
    async (transform, orientation, corner) => {
      const avif = withAvifTransform(await encodeAvif(card), transform);
      expect(await decodeAvif(avif)).toMatchObject({ width: 240, height: 180 });

      const thumbnail = await makeThumbnail(avif, limits);

      expect(thumbnail).toMatchObject({ orientation, width: 96, height: 128 });
      expect(redCorner(await decodeAvif(thumbnail.body))).toEqual([corner]);
    },
  );
});

describe('WebAssembly codec files and instances', () => {
  it('finds a .wasm beside a bundle, named after it, else in its package, else says where it looked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-path-'));
    try {
      writeFileSync(join(dir, 'handler.webp_dec.wasm'), '');
      const bundle = join(dir, 'handler.js');

      expect(wasmFilePath('@jsquash/webp/codec/dec/webp_dec.wasm', bundle)).toBe(
        join(dir, 'handler.webp_dec.wasm'),
      );
      expect(wasmFilePath('@jsquash/avif/codec/dec/avif_dec.wasm', bundle)).toBe(
        require.resolve('@jsquash/avif/codec/dec/avif_dec.wasm'),
      );
      expect(() => wasmFilePath('@jsquash/avif/codec/dec/gone.wasm', bundle)).toThrow(
        `gone.wasm is neither at ${join(dir, 'handler.gone.wasm')} nor installed`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces an encoder that failed, so the next thumbnail still encodes', async () => {
    const codec = await lazyCodec('webp');

    await expect(
      Promise.resolve(codec.encode({ data: Buffer.alloc(0), width: 0, height: 0 })),
    ).rejects.toThrow();
    const encoded = await codec.encode({
      data: Buffer.alloc(16 * 8 * 4, 200),
      width: 16,
      height: 8,
    });

    expect(probeImage(encoded, limits)).toMatchObject({ format: 'webp', width: 16, height: 8 });
  });
});
