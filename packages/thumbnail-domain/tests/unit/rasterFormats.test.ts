import { ImageRejectedError, makeThumbnail, probeImage } from '../../src';
import {
  avifHeader,
  bilevelTiff,
  decodeRaster,
  encodeBmp,
  encodeTiff,
  rleBmpBomb,
  testCard,
  webpExtendedHeader,
  webpHeader,
} from '../../testing';
import { isRed, pixel } from '../helpers/fixtures';

const limits = { maxPixels: 40_000_000 };
const card = testCard(400, 300);

function rejection(bytes: Uint8Array) {
  try {
    probeImage(bytes, limits);
  } catch (error) {
    if (error instanceof ImageRejectedError)
      return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('TIFF and BMP', () => {
  it.each([
    ['tiff', 'image/tiff', encodeTiff],
    ['bmp', 'image/bmp', encodeBmp],
  ] as const)(
    'makes a %s thumbnail of a %s upload, 128 px, corner kept',
    async (format, type, encode) => {
      const thumbnail = await makeThumbnail(encode(card), limits);

      expect(thumbnail).toMatchObject({ format, contentType: type, width: 128, height: 96 });
      const decoded = decodeRaster(format, thumbnail.body);
      expect([decoded.width, decoded.height]).toEqual([128, 96]);
      expect(isRed(pixel(decoded, 5, 5))).toBe(true);
      expect(isRed(pixel(decoded, 120, 90))).toBe(false);
    },
  );

  it('reads a BMP’s size from its header, top-down (negative height) included', () => {
    const bmp = encodeBmp(card);
    expect(probeImage(bmp, limits)).toMatchObject({ format: 'bmp', width: 400, height: 300 });
    const topDown = Buffer.from(bmp);
    topDown.writeInt32LE(-300, 22);
    expect(probeImage(topDown, limits)).toMatchObject({ width: 400, height: 300 });
  });

  it('refuses the decompression bombs from their headers', () => {
    expect(rejection(bilevelTiff([{ width: 12_000, height: 12_000 }]))).toEqual({
      reason: 'too-large',
      message: '12000×12000 is 144.0 MP, over the 40.0 MP limit',
    });
    expect(rejection(rleBmpBomb())).toEqual({
      reason: 'too-large',
      message: '20000×20000 is 400.0 MP, over the 40.0 MP limit',
    });
  });

  it('counts every TIFF page: a small first page does not hide a huge second one', () => {
    const smuggled = bilevelTiff([
      { width: 8, height: 8 },
      { width: 12_000, height: 12_000 },
    ]);

    expect(rejection(smuggled)).toMatchObject({ reason: 'too-large' });
    expect(probeImage(bilevelTiff([{ width: 8, height: 8 }]), limits)).toMatchObject({
      format: 'tiff',
      width: 8,
      height: 8,
    });
  });

  it('calls cut-off TIFFs and BMPs truncated and broken ones corrupt', async () => {
    const tiff = encodeTiff(card);
    const bmp = encodeBmp(card);
    const loop = bilevelTiff([{ width: 8, height: 8 }]);
    const firstIfd = loop.readUInt32LE(4);
    loop.writeUInt32LE(firstIfd, firstIfd + 2 + loop.readUInt16LE(firstIfd) * 12); // next = self
    const zeroWidth = Buffer.from(bmp);
    zeroWidth.writeInt32LE(0, 18);

    expect(rejection(tiff.subarray(0, tiff.length - 100))).toMatchObject({ reason: 'truncated' });
    expect(rejection(bmp.subarray(0, bmp.length - 100))).toMatchObject({ reason: 'truncated' });
    expect(rejection(loop)).toEqual({ reason: 'corrupt', message: 'TIFF directory loop' });
    expect(rejection(zeroWidth)).toMatchObject({ reason: 'corrupt' });
  });
});

describe('TIFF and BMP image data', () => {
  it('rejects a TIFF whose structure is whole but whose compressed strip is garbage as corrupt', async () => {
    const tiff = bilevelTiff([{ width: 64, height: 64 }]);
    const broken = Buffer.from(tiff);
    broken.fill(0xff, 8, 8 + 12); // the strip starts right after the header: not deflate any more

    await expect(makeThumbnail(broken, limits)).rejects.toMatchObject({
      reason: 'corrupt',
      message: expect.stringContaining('the TIFF does not decode'),
    });
  });
});

describe('WebP and AVIF headers (real files: wasmFormats.test.ts)', () => {
  it('read their size: the pixel limit applies before any codec is loaded', () => {
    expect(rejection(webpHeader(16_000, 16_000))).toEqual({
      reason: 'too-large',
      message: '16000×16000 is 256.0 MP, over the 40.0 MP limit',
    });
    expect(rejection(webpExtendedHeader(30_000, 20_000))).toMatchObject({ reason: 'too-large' });
    expect(rejection(avifHeader(20_000, 20_000))).toEqual({
      reason: 'too-large',
      message: '20000×20000 is 400.0 MP, over the 40.0 MP limit',
    });
    expect(probeImage(webpExtendedHeader(640, 480), limits)).toMatchObject({
      format: 'webp',
      width: 640,
      height: 480,
    });
  });

  it('count a WebP frame larger than its canvas: a small canvas does not hide it', () => {
    const canvas = webpExtendedHeader(64, 64);
    const frame = canvas.indexOf('VP8L', 0, 'latin1') + 9; // past the chunk header and signature
    canvas.writeUInt32LE(16_383 | (16_383 << 14), frame); // a 16384×16384 frame

    expect(rejection(canvas)).toEqual({
      reason: 'too-large',
      message: '64×64 is 268.4 MP, over the 40.0 MP limit',
    });
  });

  it('calls cut-off files truncated and broken ones corrupt', () => {
    const webp = webpHeader();
    const noStartCode = Buffer.from(webp);
    noStartCode[20 + 3] = 0;
    const avif = avifHeader(640, 480, 4096);
    const tinyBox = Buffer.from(avif);
    tinyBox.writeUInt32BE(3, avif.indexOf('mdat', 0, 'latin1') - 4); // smaller than its header

    expect(rejection(webp.subarray(0, webp.length - 4))).toMatchObject({ reason: 'truncated' });
    expect(rejection(noStartCode)).toMatchObject({ reason: 'corrupt' });
    expect(rejection(avif.subarray(0, avif.length - 100))).toMatchObject({ reason: 'truncated' });
    expect(rejection(webpExtendedHeader(64, 64, true))).toEqual({
      reason: 'unsupported',
      message: 'animated WebP images are not supported',
    });
    expect(rejection(tinyBox)).toMatchObject({ reason: 'corrupt' });
  });
});
