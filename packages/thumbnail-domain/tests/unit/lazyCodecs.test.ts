import { makeThumbnail } from '../../src';
// Not the testing index: its TIFF and BMP helpers would load the codecs themselves.
import { rleBmpBomb, testCard } from '../../testing/images';
import { encodeJpeg } from '../../testing/jpegEncoder';

// Counted where each codec module is first required; the factory runs on the first import only.
const mockLoads = { tiff: 0, bmp: 0 };
jest.mock('@jimp/js-tiff', () => {
  mockLoads.tiff++;
  return jest.requireActual('@jimp/js-tiff');
});
jest.mock('@jimp/js-bmp', () => {
  mockLoads.bmp++;
  return jest.requireActual('@jimp/js-bmp');
});

const limits = { maxPixels: 40_000_000 };

describe('makeThumbnail (codec loading)', () => {
  it('loads no TIFF or BMP codec for a JPEG, and only the BMP codec for a BMP', async () => {
    await makeThumbnail(encodeJpeg(testCard(300, 200)), limits);
    expect(mockLoads).toEqual({ tiff: 0, bmp: 0 });

    // An RLE bitmap of one end-of-bitmap code: a valid 300×200 BMP of palette colour 0.
    const thumbnail = await makeThumbnail(rleBmpBomb(300, 200), limits);

    expect(thumbnail).toMatchObject({ contentType: 'image/bmp', width: 128, height: 85 });
    expect(mockLoads).toEqual({ tiff: 0, bmp: 1 });
  });
});
