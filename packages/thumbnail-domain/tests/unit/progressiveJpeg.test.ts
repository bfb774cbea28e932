import { decodeJpegScaled, ImageRejectedError, makeThumbnail } from '../../src';
import { encodeJpeg, type JpegEncodeOptions, photoLike, testCard } from '../../testing';
import { againstFullDecode, decoders, isRed, pixel } from '../helpers/fixtures';
import { spectralOnlyScript, toProgressive } from '../helpers/progressiveTranscoder';

const options = { maxPixels: 40_000_000 };
const DHT = Buffer.from([0xff, 0xc4]);

// Not multiples of 8 or 16, so partial blocks and MCU padding are exercised.
const image = photoLike(203, 141, 7);

/** Each SOS segment of a JPEG: where its header and its entropy-coded data lie. */
function scans(jpeg: Uint8Array): { header: number; data: number; end: number }[] {
  const found: { header: number; data: number; end: number }[] = [];
  let pos = 2;
  while (pos < jpeg.length && jpeg[pos + 1] !== 0xd9) {
    const marker = jpeg[pos + 1];
    const length = ((jpeg[pos + 2] ?? 0) << 8) | (jpeg[pos + 3] ?? 0);
    pos += 2 + length;
    if (marker !== 0xda) continue;
    let end = pos;
    while (
      !(jpeg[end] === 0xff && (jpeg[end + 1] ?? 0) !== 0 && ((jpeg[end + 1] ?? 0) & 0xf8) !== 0xd0)
    ) {
      end++;
    }
    found.push({ header: pos - length + 2, data: pos, end });
    pos = end;
  }
  return found;
}

/** The error of a 1/4 decode of a progressive file whose first AC scan (luma, 1–5) is spoilt. */
async function spoiltScanError(spoil: (jpeg: Buffer, sos: number) => void) {
  const progressive = toProgressive(encodeJpeg(image, { quality: 90 }));
  const sos = (scans(progressive)[1] as { header: number }).header;
  expect([progressive[sos], progressive[sos + 3], progressive[sos + 4]]).toEqual([1, 1, 5]);
  spoil(progressive, sos);
  return rejection(() => decodeJpegScaled(progressive, 2));
}

async function rejection(run: () => unknown): Promise<ImageRejectedError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ImageRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('Function: decodeJpegScaled, progressive files', () => {
  it.each([
    ['4:2:0', { subsampling: '4:2:0' }, {}],
    ['4:2:2', { subsampling: '4:2:2' }, {}],
    ['4:4:4', { subsampling: '4:4:4' }, {}],
    ['greyscale', { grayscale: true }, {}],
    ['4:2:0 with restart markers', { subsampling: '4:2:0' }, { restartInterval: 5 }],
    ['4:2:2 with restart markers', { subsampling: '4:2:2' }, { restartInterval: 1 }],
    ['4:4:4, spectral selection only', { subsampling: '4:4:4' }, { script: spectralOnlyScript(3) }],
  ] as [string, JpegEncodeOptions, Parameters<typeof toProgressive>[1]][])(
    'gives the same pixels as the baseline twin at 1/4 and 1/2 (%s)',
    (_name, encodeOptions, progressiveOptions) => {
      // Prepare
      const baseline = encodeJpeg(image, { quality: 90, ...encodeOptions });
      const progressive = toProgressive(baseline, progressiveOptions);
      // The helper's file holds the baseline's coefficients: a full decode says the same.
      expect(Buffer.from(decoders.jpeg.decode(progressive, {}).data)).toEqual(
        Buffer.from(decoders.jpeg.decode(baseline, {}).data),
      );

      for (const samples of [2, 4] as const) {
        // Act
        const decoded = decodeJpegScaled(progressive, samples);

        // Assess
        expect(decoded).toMatchObject({
          width: Math.ceil((203 * samples) / 8),
          height: Math.ceil((141 * samples) / 8),
        });
        expect(
          decoded?.data.equals(decodeJpegScaled(baseline, samples)?.data ?? Buffer.alloc(0)),
        ).toBe(true);
      }
    },
  );

  it('still reads the DC alone at 1/8, stopping before the AC refinements', () => {
    const baseline = encodeJpeg(image, { quality: 90 });
    const progressive = toProgressive(baseline);

    expect(decodeJpegScaled(progressive, 1)?.data).toEqual(decodeJpegScaled(baseline, 1)?.data);
  });

  it('leaves progressive codings it does not handle to the full decoder', () => {
    const progressive = toProgressive(encodeJpeg(image, { quality: 90 }));
    const sof = progressive.indexOf(Buffer.from([0xff, 0xc2]));
    const spoilt = (offset: number, value: number) => {
      const copy = Buffer.from(progressive);
      copy[sof + offset] = value;
      return copy;
    };

    expect(decodeJpegScaled(spoilt(1, 0xca), 2)).toBeUndefined(); // arithmetic coding
    expect(decodeJpegScaled(spoilt(4, 12), 2)).toBeUndefined(); // 12-bit samples
    expect(decodeJpegScaled(spoilt(9, 4), 2)).toBeUndefined(); // four components (CMYK)
  });

  it('rejects a file cut inside its AC scans as truncated', async () => {
    const progressive = toProgressive(encodeJpeg(image, { quality: 90 }));
    const last = scans(progressive).at(-1) as { data: number; end: number };
    const cut = progressive.subarray(0, (last.data + last.end) >> 1);

    const error = await rejection(() => decodeJpegScaled(cut, 2));

    expect(error.reason).toBe('truncated');
    expect((await rejection(() => makeThumbnail(cut, { ...options, maxSide: 32 }))).reason).toBe(
      'truncated',
    );
  });

  const badScan = /bad progressive JPEG scan/;
  it.each([
    ['a band past coefficient 63', (jpeg: Buffer, sos: number) => jpeg.writeUInt8(64, sos + 4)],
    [
      'a band that ends before it starts',
      (jpeg: Buffer, sos: number) => jpeg.writeUInt8(0, sos + 4),
    ],
    [
      'a refinement that skips a bit',
      (jpeg: Buffer, sos: number) => jpeg.writeUInt8(0x30, sos + 5),
    ],
  ])('rejects an AC scan with %s as corrupt', async (_name, spoil) => {
    expect(await spoiltScanError(spoil)).toMatchObject({
      reason: 'corrupt',
      message: expect.stringMatching(badScan),
    });
  });

  it('rejects an AC scan without its Huffman table as corrupt', async () => {
    // The table is defined just before the scan: its DHT becomes an APP segment.
    const error = await spoiltScanError((jpeg, sos) =>
      jpeg.writeUInt8(0xe5, jpeg.lastIndexOf(DHT, sos) + 1),
    );

    expect(error).toMatchObject({
      reason: 'corrupt',
      message: expect.stringMatching(/without its AC Huffman table/),
    });
  });

  it('rejects an AC scan of two components as corrupt', async () => {
    const progressive = toProgressive(encodeJpeg(image, { quality: 90 }), {
      script: [
        { components: [0, 1, 2], ss: 0, se: 0, ah: 0, al: 0 },
        { components: [0, 1], ss: 1, se: 63, ah: 0, al: 0 },
      ],
    });

    expect((await rejection(() => decodeJpegScaled(progressive, 2))).reason).toBe('corrupt');
  });

  it('rejects a file whose chroma has AC scans but no DC scan as corrupt', async () => {
    const progressive = toProgressive(encodeJpeg(image, { quality: 90 }), {
      script: [
        { components: [0], ss: 0, se: 0, ah: 0, al: 0 },
        { components: [1], ss: 1, se: 63, ah: 0, al: 0 },
        { components: [2], ss: 1, se: 63, ah: 0, al: 0 },
      ],
    });

    expect(await rejection(() => decodeJpegScaled(progressive, 4))).toMatchObject({
      reason: 'corrupt',
      message: expect.stringMatching(/no DC data/),
    });
  });

  it('decodes or rejects as corrupt, never crashes or hangs, on garbage in its scans', () => {
    const progressive = toProgressive(encodeJpeg(image, { quality: 90 }), { restartInterval: 7 });
    const data = scans(progressive).filter((scan) => scan.end - scan.data > 64);
    let state = 12345;
    const random = (below: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % below;
    };
    let decoded = 0;
    let rejected = 0;
    for (let trial = 0; trial < 40; trial++) {
      const spoilt = Buffer.from(progressive);
      for (let i = 0; i < 12; i++) {
        const scan = data[random(data.length)] as { data: number; end: number };
        // Not 0xFF: a marker in the data is the truncation case, tested above.
        spoilt[scan.data + random(scan.end - scan.data)] = random(255);
      }
      try {
        const bitmap = decodeJpegScaled(spoilt, trial % 2 === 0 ? 2 : 4);
        expect(bitmap?.data.length).toBe((bitmap?.width ?? 0) * (bitmap?.height ?? 0) * 4);
        decoded++;
      } catch (error) {
        // A spoilt byte after a stuffed 0xFF makes a marker: then the structure breaks.
        expect(error).toBeInstanceOf(ImageRejectedError);
        rejected++;
      }
    }
    expect(decoded + rejected).toBe(40);
  });
});

describe('Function: makeThumbnail, progressive JPEGs', () => {
  // The 1 MP case at the real 128 px; the others at a smaller box (the same scale choice, a
  // quarter of the pixels to encode and decode in full).
  it.each([
    ['1/4', 1152, 864, 128, '4:2:0', {}, 'scaled-1/4'],
    ['1/4', 600, 400, 64, '4:4:4', { restartInterval: 9 }, 'scaled-1/4'],
    ['1/2', 350, 260, 64, '4:2:2', {}, 'scaled-1/2'],
  ] as const)(
    'decodes at %s scale (%i×%i into %i px, %s) and matches the full decode at ≥ 38 dB, same size',
    async (_scale, width, height, maxSide, subsampling, progressiveOptions, path) => {
      const jpeg = toProgressive(
        encodeJpeg(photoLike(width, height, 9), { quality: 90, subsampling }),
        progressiveOptions,
      );

      const { scaled, full, psnr: db } = await againstFullDecode(jpeg, { ...options, maxSide });

      expect(scaled.decodedWith).toBe(path);
      expect([scaled.width, scaled.height]).toEqual([full.width, full.height]);
      expect(db).toBeGreaterThan(38);
    },
  );

  it('applies EXIF orientation 6 to a progressive file decoded at 1/4', async () => {
    // Prepare: stored landscape, shown portrait.
    const jpeg = toProgressive(
      encodeJpeg(testCard(480, 360), { orientation: 6, subsampling: '4:4:4' }),
    );

    // Act
    const thumbnail = await makeThumbnail(jpeg, { ...options, maxSide: 48 });

    // Assess
    expect(thumbnail).toMatchObject({
      width: 36,
      height: 48,
      sourceWidth: 360,
      sourceHeight: 480,
      orientation: 6,
      decodedWith: 'scaled-1/4',
    });
    // The red top-left corner of the stored image is shown at the top right.
    const decoded = decoders.jpeg.decode(thumbnail.body, {});
    expect(isRed(pixel(decoded, 33, 3))).toBe(true);
    expect(isRed(pixel(decoded, 3, 3))).toBe(false);
    expect(isRed(pixel(decoded, 3, 44))).toBe(false);
  });
});
