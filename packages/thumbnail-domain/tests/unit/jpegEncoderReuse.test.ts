/**
 * jpeg-js is patched (patches/jpeg-js@0.4.4.patch) to keep one encoder for the process: building
 * its tables per call cost more than encoding a thumbnail. These tests hold the patch to "same
 * bytes as a fresh encoder", whatever came before and whatever quality each call asks for.
 */
import { photoLike, testCard } from '../../testing';

type JpegCodec = { encode(bitmap: ImageBitmapLike, options?: { quality?: number }): Buffer };
type ImageBitmapLike = { data: Buffer; width: number; height: number };

function freshCodec(): JpegCodec {
  let codec: JpegCodec | undefined;
  // A separate module registry loads jpeg-js again: a new shared encoder, as in a new process.
  jest.isolateModules(() => {
    codec = require('@jimp/js-jpeg').default();
  });
  if (!codec) throw new Error('@jimp/js-jpeg did not load');
  return codec;
}

function bitmap(image: { data: Uint8Array; width: number; height: number }): ImageBitmapLike {
  return { data: Buffer.from(image.data), width: image.width, height: image.height };
}

describe('jpeg-js with one encoder for the process', () => {
  const photo = bitmap(photoLike(128, 96, 7));
  const card = bitmap(testCard(96, 128));

  it('writes the same bytes as a fresh encoder for each call of a sequence that changes image and quality', () => {
    const reused = freshCodec();
    const calls: Array<[ImageBitmapLike, number]> = [
      [photo, 90],
      [card, 40],
      [photo, 90],
      [card, 100],
      [photo, 1],
      [photo, 75],
      [card, 40],
    ];
    for (const [image, quality] of calls) {
      const expected = freshCodec().encode(image, { quality });
      expect(reused.encode(image, { quality }).equals(expected)).toBe(true);
    }
  });

  it('still reads a zero quality as 50, after another quality was used', () => {
    const reused = freshCodec();
    const at50 = freshCodec().encode(photo, { quality: 50 });
    reused.encode(photo, { quality: 95 });
    expect(reused.encode(photo, { quality: 0 }).equals(at50)).toBe(true);
    expect(at50.equals(freshCodec().encode(photo, { quality: 95 }))).toBe(false);
  });
});
