import { decodeJpegDc, decodeJpegScaled, ImageRejectedError } from '../../src';
import {
  encodeJpeg,
  type JpegEncodeOptions,
  photoLike,
  testCard,
  withExifOrientation,
} from '../../testing';
import { blockMeans, decoders, luma, psnr } from '../helpers/fixtures';

// Not multiples of 8 or 16, so partial blocks and MCU padding are exercised.
const image = photoLike(203, 141, 7);

describe('decodeJpegDc', () => {
  it.each([
    ['baseline 4:4:4', { subsampling: '4:4:4' as const }],
    ['baseline 4:2:2', { subsampling: '4:2:2' as const }],
    ['baseline 4:2:0', { subsampling: '4:2:0' as const }],
    ['baseline 4:2:0 with restart markers', { restartInterval: 3 }],
    ['progressive 4:4:4', { progressive: true, subsampling: '4:4:4' as const }],
    ['progressive 4:2:0', { progressive: true }],
    [
      'progressive 4:2:2 with restart markers',
      { progressive: true, subsampling: '4:2:2' as const, restartInterval: 5 },
    ],
    ['greyscale', { grayscale: true }],
    ['progressive greyscale', { progressive: true, grayscale: true }],
  ] as [string, JpegEncodeOptions][])('gives each 8×8 block its mean: %s', (_name, options) => {
    const jpeg = encodeJpeg(image, { quality: 90, ...options });
    const full = decoders.jpeg.decode(jpeg, {});

    const dc = decodeJpegDc(jpeg);

    expect(dc).toMatchObject({ width: 25, height: 18 });
    const expected = blockMeans(full, 25, 18);
    // Luma is exact up to the IDCT's rounding and clamping. Chroma of a subsampled file has one
    // value per 16 pixels at this scale, so colour is compared at a looser bound.
    const fullColour = options.subsampling === '4:4:4' || options.grayscale;
    expect(psnr(luma(dc as NonNullable<typeof dc>), luma(expected))).toBeGreaterThan(40);
    expect(psnr(dc as NonNullable<typeof dc>, expected)).toBeGreaterThan(fullColour ? 40 : 20);
  });

  it('reads the same DC from a progressive file (after skipping its AC scans) as from a baseline one', () => {
    for (const subsampling of ['4:4:4', '4:2:0'] as const) {
      const baseline = decodeJpegDc(encodeJpeg(image, { subsampling }));
      const progressive = decodeJpegDc(encodeJpeg(image, { subsampling, progressive: true }));
      const withRestarts = decodeJpegDc(
        encodeJpeg(image, { subsampling, progressive: true, restartInterval: 2 }),
      );

      expect(progressive?.data.equals(baseline?.data ?? Buffer.alloc(0))).toBe(true);
      expect(withRestarts?.data.equals(baseline?.data ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('stops a progressive file once its DC is complete: a file cut after the DC refinement still decodes', () => {
    const jpeg = encodeJpeg(image, { progressive: true });
    // The last scan is the DC refinement; cut the file right after it (no EOI).
    const cut = jpeg.subarray(0, jpeg.length - 2);

    expect(decodeJpegDc(cut)?.data.equals(decodeJpegDc(jpeg)?.data ?? Buffer.alloc(0))).toBe(true);
  });

  it('reads jpeg-js output and files with an EXIF block', () => {
    const card = testCard(64, 48);
    const jpeg = withExifOrientation(
      decoders.jpeg.encode({ ...card, data: Buffer.from(card.data) }, { quality: 90 }),
      6,
    );

    expect(decodeJpegDc(jpeg)).toMatchObject({ width: 8, height: 6 });
  });

  it('leaves codings it does not handle to the full decoder', () => {
    const jpeg = encodeJpeg(image);
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    const arithmetic = Buffer.from(jpeg);
    arithmetic[sof + 1] = 0xc9;
    const twelveBit = Buffer.from(jpeg);
    twelveBit[sof + 4] = 12;

    expect(decodeJpegDc(arithmetic)).toBeUndefined();
    expect(decodeJpegDc(twelveBit)).toBeUndefined();
  });

  it('rejects a JPEG whose Huffman table is missing as corrupt', () => {
    const jpeg = encodeJpeg(image, { grayscale: true });
    const noTables = Buffer.from(jpeg);
    // Turn every DHT marker into an APP marker: the tables are gone.
    for (let i = 0; i < noTables.length - 1; i++) {
      if (noTables[i] === 0xff && noTables[i + 1] === 0xc4) noTables[i + 1] = 0xe5;
    }

    expect(() => decodeJpegDc(noTables)).toThrow(ImageRejectedError);
  });

  it.each([
    [2, 'baseline 4:2:0', { restartInterval: 3 }],
    [2, 'baseline 4:4:4', { subsampling: '4:4:4' as const }],
    [4, 'baseline 4:2:2', { subsampling: '4:2:2' as const }],
    [4, 'greyscale', { grayscale: true }],
  ] as [2 | 4, string, JpegEncodeOptions][])(
    'at %i samples per block (%s) gives the mean of each matching area of the full decode',
    (samples, _name, options) => {
      const jpeg = encodeJpeg(image, { quality: 90, ...options });
      const full = decoders.jpeg.decode(jpeg, {});
      const width = Math.ceil((203 * samples) / 8);
      const height = Math.ceil((141 * samples) / 8);

      const scaled = decodeJpegScaled(jpeg, samples);

      expect(scaled).toMatchObject({ width, height });
      // Each output pixel stands for an (8 / samples)² area: compare with the area means.
      const expected = areaMeans(full, 8 / samples, width, height);
      expect(psnr(luma(scaled as NonNullable<typeof scaled>), luma(expected))).toBeGreaterThan(30);
    },
  );

  it('decodes progressive files at 1/4 and 1/2 to the pixels of their baseline twin', () => {
    // More scripts (libjpeg's, with AC refinement and end-of-band runs): progressiveJpeg.test.ts.
    for (const restartInterval of [0, 4]) {
      const baseline = encodeJpeg(image, { restartInterval });
      const progressive = encodeJpeg(image, { restartInterval, progressive: true });

      for (const samples of [2, 4] as const) {
        expect(decodeJpegScaled(progressive, samples)?.data).toEqual(
          decodeJpegScaled(baseline, samples)?.data,
        );
      }
    }
  });
});

/** The mean of every `side`×`side` area of an image (edge areas over the pixels they have). */
function areaMeans(
  image: { data: Uint8Array; width: number; height: number },
  side: number,
  width: number,
  height: number,
) {
  const data = new Uint8Array(width * height * 4);
  for (let by = 0; by < height; by++) {
    for (let bx = 0; bx < width; bx++) {
      const sums = [0, 0, 0];
      let count = 0;
      for (let y = by * side; y < Math.min(image.height, (by + 1) * side); y++) {
        for (let x = bx * side; x < Math.min(image.width, (bx + 1) * side); x++) {
          for (let c = 0; c < 3; c++)
            sums[c] = (sums[c] ?? 0) + (image.data[(y * image.width + x) * 4 + c] ?? 0);
          count++;
        }
      }
      for (let c = 0; c < 3; c++)
        data[(by * width + bx) * 4 + c] = Math.round((sums[c] ?? 0) / count);
      data[(by * width + bx) * 4 + 3] = 255;
    }
  }
  return { data, width, height };
}
