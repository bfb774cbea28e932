import { createJimp } from '@jimp/core';
import gif from '@jimp/js-gif';
import jpeg from '@jimp/js-jpeg';
import png from '@jimp/js-png';
import { methods as flipMethods } from '@jimp/plugin-flip';
import { methods as resizeMethods } from '@jimp/plugin-resize';
import { methods as rotateMethods } from '@jimp/plugin-rotate';
import { makeThumbnail, type ThumbnailOptions } from '../../src';

export const TestJimp = createJimp({
  formats: [jpeg, png, gif],
  plugins: [resizeMethods, rotateMethods, flipMethods],
});

export const decoders = { jpeg: jpeg(), png: png(), gif: gif() };

export interface Rgba {
  data: Uint8Array;
  width: number;
  height: number;
}

/** RGBA of the pixel at (x, y). */
export function pixel(image: Rgba, x: number, y: number): [number, number, number, number] {
  const i = (y * image.width + x) * 4;
  return [
    image.data[i] ?? 0,
    image.data[i + 1] ?? 0,
    image.data[i + 2] ?? 0,
    image.data[i + 3] ?? 0,
  ];
}

/** PSNR in dB over the RGB channels of two images of the same size. */
export function psnr(a: Rgba, b: Rgba): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('sizes differ');
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const d = (a.data[i + c] ?? 0) - (b.data[i + c] ?? 0);
      sum += d * d;
      n++;
    }
  }
  return sum === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / (sum / n));
}

/** The mean of every 8×8 block of a full-size decode: what a DC-only decode should give. */
export function blockMeans(image: Rgba, width: number, height: number): Rgba {
  const data = new Uint8Array(width * height * 4);
  for (let by = 0; by < height; by++) {
    for (let bx = 0; bx < width; bx++) {
      const sums = [0, 0, 0];
      let count = 0;
      for (let y = by * 8; y < Math.min(image.height, by * 8 + 8); y++) {
        for (let x = bx * 8; x < Math.min(image.width, bx * 8 + 8); x++) {
          const [r, g, b] = pixel(image, x, y);
          sums[0] = (sums[0] ?? 0) + r;
          sums[1] = (sums[1] ?? 0) + g;
          sums[2] = (sums[2] ?? 0) + b;
          count++;
        }
      }
      const o = (by * width + bx) * 4;
      for (let c = 0; c < 3; c++) data[o + c] = Math.round((sums[c] ?? 0) / count);
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}

/** Luma (BT.601) of an image, as a one-channel image in the R, G and B slots. */
export function luma(image: Rgba): Rgba {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i += 4) {
    const y = Math.round(
      0.299 * (image.data[i] ?? 0) +
        0.587 * (image.data[i + 1] ?? 0) +
        0.114 * (image.data[i + 2] ?? 0),
    );
    data[i] = y;
    data[i + 1] = y;
    data[i + 2] = y;
    data[i + 3] = 255;
  }
  return { data, width: image.width, height: image.height };
}

/**
 * jimp's own EXIF orientation, as its `exifRotate` applies it on read: target pixel (x, y) comes
 * from source pixel map(x, y). Kept here as the reference our small-image orientation must match.
 */
export function jimpExifReference(image: Rgba, orientation: number): Rgba {
  const w = image.width;
  const h = image.height;
  const maps: Record<number, (x: number, y: number) => [number, number]> = {
    1: (x, y) => [x, y],
    2: (x, y) => [w - x - 1, y],
    3: (x, y) => [w - x - 1, h - y - 1],
    4: (x, y) => [x, h - y - 1],
    5: (x, y) => [y, x],
    6: (x, y) => [y, h - x - 1],
    7: (x, y) => [w - y - 1, h - x - 1],
    8: (x, y) => [w - y - 1, x],
  };
  const map = maps[orientation] as (x: number, y: number) => [number, number];
  const swap = orientation > 4;
  const width = swap ? h : w;
  const height = swap ? w : h;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = map(x, y);
      for (let c = 0; c < 4; c++)
        data[(y * width + x) * 4 + c] = image.data[(sy * w + sx) * 4 + c] ?? 0;
    }
  }
  return { data, width, height };
}

/** Is the colour mostly red (the test card's top-left marker)? */
export const isRed = ([r, g, b]: [number, number, number, number]) => r > 180 && g < 90 && b < 90;

/**
 * The thumbnail of `jpeg` as the pipeline makes it and as a full decode makes it, both encoded at
 * quality 100 so JPEG noise in the thumbnail does not hide the gap, and the PSNR between them.
 */
export async function againstFullDecode(jpeg: Buffer, options: ThumbnailOptions) {
  const scaled = await makeThumbnail(jpeg, { ...options, jpegQuality: 100 });
  const full = await makeThumbnail(jpeg, {
    ...options,
    jpegQuality: 100,
    reducedJpegDecoding: false,
  });
  const db = psnr(decoders.jpeg.decode(scaled.body, {}), decoders.jpeg.decode(full.body, {}));
  return { scaled, full, psnr: db };
}
