import {
  applyOrientation,
  dcScaleIsEnough,
  ImageRejectedError,
  makeThumbnail,
  probeImage,
  thumbnailSize,
} from '../../src';
import { encodeGif, encodeJpeg, encodePng, photoLike, pixelBombPng, testCard } from '../../testing';
import {
  againstFullDecode,
  decoders,
  isRed,
  jimpExifReference,
  pixel,
  TestJimp,
} from '../helpers/fixtures';

const options = { maxPixels: 40_000_000 };

async function rejection(bytes: Buffer) {
  try {
    await makeThumbnail(bytes, options);
  } catch (error) {
    if (error instanceof ImageRejectedError) return error.reason;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('thumbnailSize', () => {
  it('fits 128×128 with the aspect ratio kept, rounding as jimp scaleToFit does', () => {
    expect(thumbnailSize(1600, 1200)).toEqual({ width: 128, height: 96 });
    expect(thumbnailSize(1200, 1600)).toEqual({ width: 96, height: 128 });
    expect(thumbnailSize(900, 600)).toEqual({ width: 128, height: 85 });
    expect(thumbnailSize(1000, 1000)).toEqual({ width: 128, height: 128 });
    expect(thumbnailSize(20000, 10)).toEqual({ width: 128, height: 1 });
  });

  it('never upscales', () => {
    expect(thumbnailSize(64, 48)).toEqual({ width: 64, height: 48 });
    expect(thumbnailSize(128, 20)).toEqual({ width: 128, height: 20 });
  });

  it('gives the size a naive jimp scaleToFit gives', () => {
    for (const [w, h] of [
      [1600, 1200],
      [333, 777],
      [1001, 999],
      [129, 5],
    ] as const) {
      const image = new TestJimp({ width: w, height: h });
      image.scaleToFit({ w: 128, h: 128 });
      expect(thumbnailSize(w, h)).toEqual({ width: image.width, height: image.height });
    }
  });
});

describe('applyOrientation', () => {
  /** Ours (resize the stored bitmap, orient the small one) and jimp's naive order, compared. */
  function compare(source: ReturnType<typeof photoLike>, orientation: number) {
    // jimp's naive path: orient the full-size bitmap on read, then resize.
    const oriented = jimpExifReference(source, orientation);
    const naive = new TestJimp({ ...oriented, data: Buffer.from(oriented.data) });
    naive.scaleToFit({ w: 128, h: 128 });
    const ours = new TestJimp({ ...source, data: Buffer.from(source.data) });
    const swap = orientation > 4;
    ours.resize({ w: swap ? naive.height : naive.width, h: swap ? naive.width : naive.height });
    applyOrientation(ours, orientation);
    let maxDifference = 0;
    for (let i = 0; i < ours.bitmap.data.length; i++) {
      const difference = Math.abs((ours.bitmap.data[i] ?? 0) - (naive.bitmap.data[i] ?? 0));
      maxDifference = Math.max(maxDifference, difference);
    }
    return {
      orientation,
      size: [ours.width, ours.height],
      naiveSize: [naive.width, naive.height],
      maxDifference,
    };
  }

  it('on the small image gives what jimp gives orienting the full one first, for all eight values', () => {
    const source = photoLike(640, 480, 11);
    for (let orientation = 1; orientation <= 8; orientation++) {
      const result = compare(source, orientation);
      expect(result).toEqual({ ...result, size: result.naiveSize, maxDifference: 0 });
    }
  });

  it('differs by at most one level where jimp sums the resize in another order', () => {
    // 300×200 → 128×85 has a fractional scale on both axes: a handful of the 43 520 values come
    // out one level apart after a half-turn, because the float sums run in another order.
    const source = photoLike(300, 200, 11);
    for (let orientation = 1; orientation <= 8; orientation++) {
      const result = compare(source, orientation);
      expect(result.size).toEqual(result.naiveSize);
      expect(result.maxDifference).toBeLessThanOrEqual(1);
    }
  });
});

describe('makeThumbnail', () => {
  it('makes a JPEG of a large JPEG from its DC coefficients, ≤ 128 px, at quality 80', async () => {
    const jpeg = encodeJpeg(photoLike(2400, 1800, 3), { quality: 90, subsampling: '4:4:4' });

    const thumbnail = await makeThumbnail(jpeg, options);

    expect(thumbnail).toMatchObject({
      contentType: 'image/jpeg',
      format: 'jpeg',
      width: 128,
      height: 96,
      sourceWidth: 2400,
      sourceHeight: 1800,
      decodedWith: 'dc',
    });
    const decoded = decoders.jpeg.decode(thumbnail.body, {});
    expect([decoded.width, decoded.height]).toEqual([128, 96]);
    const { scaled: dc100, full: full100, psnr: db } = await againstFullDecode(jpeg, options);
    expect(full100.decodedWith).toBe('full');
    expect(db).toBeGreaterThan(38);
    expect(thumbnail.body.length).toBeLessThan(dc100.body.length / 1.5);
  });

  it('decodes smaller baseline JPEGs at 1/4 or 1/2 scale, and tiny ones in full', async () => {
    expect(await makeThumbnail(encodeJpeg(photoLike(600, 400)), options)).toMatchObject({
      width: 128,
      height: 85,
      decodedWith: 'scaled-1/2',
    });
    expect(await makeThumbnail(encodeJpeg(photoLike(1200, 800)), options)).toMatchObject({
      width: 128,
      height: 85,
      decodedWith: 'scaled-1/4',
    });
    expect(await makeThumbnail(encodeJpeg(photoLike(400, 300)), options)).toMatchObject({
      width: 128,
      height: 96,
      decodedWith: 'full',
    });
  });

  it.each([
    ['1/4', 1152, 864, '4:2:0', 'scaled-1/4'],
    ['1/4', 1920, 1280, '4:4:4', 'scaled-1/4'],
    ['1/2', 700, 520, '4:2:2', 'scaled-1/2'],
  ] as const)(
    'at %s scale (%i×%i %s) matches the full decode at ≥ 38 dB, same size',
    async (_scale, width, height, subsampling, path) => {
      const jpeg = encodeJpeg(photoLike(width, height, 9), { quality: 90, subsampling });

      const { scaled, full, psnr: db } = await againstFullDecode(jpeg, options);

      expect(scaled.decodedWith).toBe(path);
      expect([scaled.width, scaled.height]).toEqual([full.width, full.height]);
      expect(db).toBeGreaterThan(38);
    },
  );

  it('honours EXIF orientation 6: a landscape file shown as portrait, its top-left corner at the top right', async () => {
    const jpeg = encodeJpeg(testCard(1600, 1200), { orientation: 6, subsampling: '4:4:4' });

    const thumbnail = await makeThumbnail(jpeg, options);

    expect(thumbnail).toMatchObject({
      width: 96,
      height: 128,
      sourceWidth: 1200,
      sourceHeight: 1600,
      orientation: 6,
    });
    const decoded = decoders.jpeg.decode(thumbnail.body, {});
    expect(isRed(pixel(decoded, 90, 5))).toBe(true);
    expect(isRed(pixel(decoded, 5, 5))).toBe(false);
    expect(isRed(pixel(decoded, 5, 120))).toBe(false);
    expect(isRed(pixel(decoded, 48, 64))).toBe(false);
  });

  it('reads progressive JPEGs, at 1/8 scale when large enough and in full otherwise', async () => {
    const large = encodeJpeg(photoLike(2400, 1600, 4), { progressive: true, subsampling: '4:4:4' });
    const small = encodeJpeg(photoLike(500, 300, 4), { progressive: true, restartInterval: 4 });

    expect(await makeThumbnail(large, options)).toMatchObject({
      width: 128,
      height: 85,
      decodedWith: 'dc',
    });
    expect(await makeThumbnail(small, options)).toMatchObject({
      width: 128,
      height: 77,
      decodedWith: 'full',
    });
  });

  it('keeps a PNG a PNG, with its alpha', async () => {
    const png = encodePng(testCard(400, 300, { alpha: true }));

    const thumbnail = await makeThumbnail(png, options);

    expect(thumbnail).toMatchObject({ contentType: 'image/png', width: 128, height: 96 });
    const decoded = decoders.png.decode(thumbnail.body, {});
    expect(pixel(decoded, 64, 90)[3]).toBeLessThan(100);
    expect(pixel(decoded, 64, 2)[3]).toBeGreaterThan(240);
  });

  it('reads a 16-bit PNG', async () => {
    const png = encodePng(testCard(300, 200), { bitDepth: 16, alpha: false });
    expect(probeImage(png, options).bitDepth).toBe(16);

    const thumbnail = await makeThumbnail(png, options);

    expect(thumbnail).toMatchObject({ contentType: 'image/png', width: 128, height: 85 });
    const decoded = decoders.png.decode(thumbnail.body, {});
    expect(isRed(pixel(decoded, 3, 3))).toBe(true);
  });

  it('makes a GIF of the first frame of an animated GIF', async () => {
    const frames = [new Uint8Array(200 * 150).fill(0), new Uint8Array(200 * 150).fill(1)];
    const gif = encodeGif({
      width: 200,
      height: 150,
      palette: [
        [220, 20, 20],
        [20, 20, 220],
      ],
      frames,
    });

    const thumbnail = await makeThumbnail(gif, options);

    expect(thumbnail).toMatchObject({ contentType: 'image/gif', width: 128, height: 96 });
    const decoded = decoders.gif.decode(thumbnail.body);
    expect(isRed(pixel(decoded, 64, 48))).toBe(true);
  });

  it('never upscales a small image', async () => {
    const thumbnail = await makeThumbnail(encodePng(testCard(64, 40)), options);

    expect(thumbnail).toMatchObject({ width: 64, height: 40 });
  });

  it('rejects what can never become a thumbnail, each for its reason', async () => {
    const jpeg = encodeJpeg(photoLike(400, 300));

    expect(await rejection(jpeg.subarray(0, jpeg.length >> 1))).toBe('truncated');
    expect(await rejection(Buffer.from('just some text in a file called photo.jpg'))).toBe(
      'not-an-image',
    );
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from('ftypheic\0\0\0\0')]);
    expect(await rejection(heic)).toBe('unsupported');
    expect(await rejection(pixelBombPng())).toBe('too-large');
  });

  it('refuses the pixel bomb before decoding anything', async () => {
    // The header's size in the message: the probe refused it (a decode would take ~30 s, 1.7 GB).
    await expect(makeThumbnail(pixelBombPng(), options)).rejects.toMatchObject({
      reason: 'too-large',
      message: '20000×20000 is 400.0 MP, over the 40.0 MP limit',
    });
  });

  it('refuses as too large a full JPEG decode that would need more memory than allowed', async () => {
    const jpeg = encodeJpeg(photoLike(600, 400));

    await expect(
      makeThumbnail(jpeg, { ...options, reducedJpegDecoding: false, maxFullJpegDecodeMB: 0.5 }),
    ).rejects.toMatchObject({ reason: 'too-large' });
  });

  it('rejects image data that does not decode as corrupt', async () => {
    const png = encodePng(testCard(100, 80));
    const idat = png.indexOf('IDAT', 0, 'latin1');
    const broken = Buffer.from(png);
    broken.fill(0x55, idat + 10, idat + 40); // garbage in the zlib stream, chunk layout intact

    expect(await rejection(broken)).toBe('corrupt');
  });

  it('chooses the DC path only when every component is large enough at 1/8 scale', () => {
    const sampling = (subsampling: '4:4:4' | '4:2:0') =>
      probeImage(encodeJpeg(testCard(32, 32), { subsampling }), options).jpeg?.sampling;
    expect(sampling('4:2:0')).toEqual([
      { h: 2, v: 2 },
      { h: 1, v: 1 },
      { h: 1, v: 1 },
    ]);
    const info = (width: number, height: number, subsampling: '4:4:4' | '4:2:0') => ({
      format: 'jpeg' as const,
      contentType: 'image/jpeg' as const,
      width,
      height,
      orientation: 1,
      jpeg: {
        frameType: 0,
        progressive: false,
        precision: 8,
        components: 3,
        sampling: sampling(subsampling) ?? [],
      },
    });
    const target = { width: 128, height: 96 };

    expect(dcScaleIsEnough(info(2048, 1536, '4:4:4'), target)).toBe(true);
    expect(dcScaleIsEnough(info(2040, 1536, '4:4:4'), target)).toBe(false);
    expect(dcScaleIsEnough(info(2048, 1536, '4:2:0'), target)).toBe(true);
    expect(dcScaleIsEnough(info(1600, 1200, '4:4:4'), target)).toBe(false);
  });
});
