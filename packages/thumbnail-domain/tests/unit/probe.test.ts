import { ImageRejectedError, probeImage } from '../../src';
import {
  avifHeader,
  encodeGif,
  encodeJpeg,
  encodePng,
  pixelBombPng,
  testCard,
  webpHeader,
  withExifOrientation,
} from '../../testing';
import { decoders } from '../helpers/fixtures';

const limits = { maxPixels: 40_000_000 };
const card = testCard(96, 64);

function rejection(bytes: Uint8Array, maxPixels = limits.maxPixels) {
  try {
    probeImage(bytes, { maxPixels });
  } catch (error) {
    if (error instanceof ImageRejectedError)
      return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('probeImage', () => {
  it('identifies JPEG, PNG and GIF by their magic bytes and reads their size from the header', () => {
    const gif = encodeGif({
      width: 30,
      height: 20,
      palette: [[0, 0, 0]],
      frames: [new Uint8Array(600)],
    });

    expect(probeImage(encodeJpeg(card), limits)).toMatchObject({
      format: 'jpeg',
      contentType: 'image/jpeg',
      width: 96,
      height: 64,
      orientation: 1,
      jpeg: { progressive: false, components: 3, precision: 8 },
    });
    expect(probeImage(encodePng(card), limits)).toMatchObject({
      format: 'png',
      contentType: 'image/png',
      width: 96,
      height: 64,
      bitDepth: 8,
    });
    expect(probeImage(gif, limits)).toMatchObject({
      format: 'gif',
      contentType: 'image/gif',
      width: 30,
      height: 20,
    });
  });

  it('reads the progressive flag, the bit depth of a 16-bit PNG and jpeg-js output too', () => {
    expect(probeImage(encodeJpeg(card, { progressive: true }), limits).jpeg?.progressive).toBe(
      true,
    );
    expect(probeImage(encodePng(card, { bitDepth: 16 }), limits).bitDepth).toBe(16);
    const jpegJs = decoders.jpeg.encode({ ...card, data: Buffer.from(card.data) }, { quality: 80 });
    expect(probeImage(jpegJs, limits)).toMatchObject({ width: 96, height: 64 });
  });

  it('reads the EXIF orientation from APP1, in either byte order', () => {
    expect(probeImage(encodeJpeg(card, { orientation: 6 }), limits).orientation).toBe(6);
    const jpegJs = decoders.jpeg.encode({ ...card, data: Buffer.from(card.data) }, { quality: 80 });
    expect(probeImage(withExifOrientation(jpegJs, 8), limits).orientation).toBe(8);

    const bigEndian = withExifOrientation(jpegJs, 3);
    const tiff = bigEndian.indexOf('II*\0', 0, 'latin1');
    bigEndian.set(
      [
        0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x03,
      ],
      tiff,
    );
    expect(probeImage(bigEndian, limits).orientation).toBe(3);
  });

  it('ignores an orientation out of range', () => {
    expect(probeImage(encodeJpeg(card, { orientation: 9 }), limits).orientation).toBe(1);
  });

  it('skips a text file named .jpg as not an image', () => {
    const text = Buffer.from('This is not a picture, just words in a file called photo.jpg\n');
    expect(rejection(text)).toEqual({
      reason: 'not-an-image',
      message: 'not a JPEG, PNG, GIF, TIFF, BMP, WebP or AVIF (by its magic bytes)',
    });
    expect(rejection(Buffer.alloc(0))).toMatchObject({ reason: 'not-an-image' });
  });

  it('identifies WebP and AVIF by their magic bytes and reads their size from the header', () => {
    expect(probeImage(webpHeader(), limits)).toEqual({
      format: 'webp',
      contentType: 'image/webp',
      width: 64,
      height: 48,
      orientation: 1,
    });
    expect(probeImage(avifHeader(), limits)).toEqual({
      format: 'avif',
      contentType: 'image/avif',
      width: 64,
      height: 48,
      orientation: 1,
    });
  });

  it('names image formats it does not thumbnail as unsupported', () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic', 'latin1')]);
    expect(rejection(heic)).toMatchObject({
      reason: 'unsupported',
      message: 'HEIF images are not supported',
    });
  });

  it('refuses the 20000×20000 PNG bomb from its header', () => {
    const bomb = pixelBombPng();
    expect(bomb.length).toBeLessThan(200_000);

    expect(rejection(bomb)).toEqual({
      reason: 'too-large',
      message: '20000×20000 is 400.0 MP, over the 40.0 MP limit',
    });
  });

  it('applies the configured pixel limit to every format', () => {
    expect(rejection(encodeJpeg(card), 96 * 64 - 1)).toMatchObject({ reason: 'too-large' });
    expect(rejection(encodePng(card), 1000)).toMatchObject({ reason: 'too-large' });
    expect(() => probeImage(encodePng(card), { maxPixels: 96 * 64 })).not.toThrow();
  });

  it('calls a cut-off JPEG, PNG or GIF truncated', () => {
    const jpeg = encodeJpeg(card);
    const png = encodePng(card);
    const gif = encodeGif({
      width: 40,
      height: 40,
      palette: [
        [255, 0, 0],
        [0, 0, 255],
      ],
      frames: [new Uint8Array(1600), new Uint8Array(1600).fill(1)],
    });

    expect(rejection(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)))).toMatchObject({
      reason: 'truncated',
      message: 'the JPEG ends inside its image data',
    });
    expect(rejection(jpeg.subarray(0, 40))).toMatchObject({ reason: 'truncated' });
    expect(rejection(png.subarray(0, png.length - 20))).toMatchObject({ reason: 'truncated' });
    expect(rejection(gif.subarray(0, 40))).toMatchObject({ reason: 'truncated' });
  });

  it('calls broken structure corrupt', () => {
    const png = encodePng(card);
    const badDepth = Buffer.from(png);
    badDepth[24] = 3; // bit depth 3 does not exist
    const gif = encodeGif({
      width: 4,
      height: 4,
      palette: [[0, 0, 0]],
      frames: [new Uint8Array(16)],
    });
    const hugeFrame = Buffer.from(gif);
    const descriptor = hugeFrame.indexOf(0x2c, 13 + 12);
    hugeFrame.writeUInt16LE(65535, descriptor + 5);
    hugeFrame.writeUInt16LE(65535, descriptor + 7);
    const jpeg = encodeJpeg(card);
    const noMarker = Buffer.from(jpeg);
    noMarker[20] = 0x00; // where the marker after APP0 should be

    expect(rejection(badDepth)).toMatchObject({ reason: 'corrupt' });
    expect(rejection(hugeFrame)).toEqual({
      reason: 'corrupt',
      message: 'GIF frame 65535×65535 outside its screen',
    });
    expect(rejection(noMarker)).toMatchObject({ reason: 'corrupt' });
  });

  it('says which JPEG codings are unsupported', () => {
    const jpeg = encodeJpeg(card);
    const arithmetic = Buffer.from(jpeg);
    arithmetic[arithmetic.indexOf(Buffer.from([0xff, 0xc0])) + 1] = 0xc9;
    const twelveBit = Buffer.from(jpeg);
    twelveBit[twelveBit.indexOf(Buffer.from([0xff, 0xc0])) + 4] = 12;

    expect(rejection(arithmetic)).toEqual({
      reason: 'unsupported',
      message: 'JPEG coding process SOF9',
    });
    expect(rejection(twelveBit)).toEqual({ reason: 'unsupported', message: '12-bit JPEG' });
  });
});
