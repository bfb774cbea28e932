import { deflateSync } from 'node:zlib';
import type { RgbaImage } from './jpegEncoder';

// Module-scope aliases: under jest's VM, every `Math.x` in a hot loop is a slow global lookup.
const { ceil, floor, log2, max, min, round, sin } = Math;

/**
 * Fixture images made in code, byte by byte where the point is the bytes: PNG (8 or 16 bits,
 * with or without alpha, a pixel bomb), animated GIF, WebP and AVIF headers, TIFF and BMP bombs,
 * cut-off files.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(payload.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), payload])), 0);
  return Buffer.concat([head, payload, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(width: number, height: number, bitDepth: number, colorType: number): Buffer {
  const payload = Buffer.alloc(13);
  payload.writeUInt32BE(width, 0);
  payload.writeUInt32BE(height, 4);
  payload[8] = bitDepth;
  payload[9] = colorType;
  return pngChunk('IHDR', payload);
}

/** A PNG of an RGBA image: 8 or 16 bits per sample, RGBA (colour type 6) or RGB (2). */
export function encodePng(
  image: RgbaImage,
  options: { bitDepth?: 8 | 16; alpha?: boolean } = {},
): Buffer {
  const bitDepth = options.bitDepth ?? 8;
  const alpha = options.alpha ?? true;
  const channels = alpha ? 4 : 3;
  const bytesPerSample = bitDepth / 8;
  const stride = image.width * channels * bytesPerSample;
  const raw = Buffer.alloc((stride + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    const row = y * (stride + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < image.width; x++) {
      for (let c = 0; c < channels; c++) {
        const value = image.data[(y * image.width + x) * 4 + c] ?? 0;
        const at = row + 1 + (x * channels + c) * bytesPerSample;
        if (bitDepth === 16) raw.writeUInt16BE(value * 257, at);
        else raw[at] = value;
      }
    }
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(image.width, image.height, bitDepth, alpha ? 6 : 2),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The decompression bomb of the issue: a one-colour 1-bit greyscale PNG, tiny on disk (≈ 50 KB at
 * 20000×20000) but width × height × 4 bytes once decoded to RGBA. Its IDAT is real: every row a
 * filter byte and zeros, deflated.
 */
export function pixelBombPng(width = 20_000, height = 20_000): Buffer {
  const stride = ceil(width / 8) + 1;
  const raw = Buffer.alloc(stride * height);
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height, 1, 0),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A GIF of one or more frames over one palette (≤ 256 colours). Pixel data is LZW-coded the
 * simple way — a clear code often enough that the code size never grows — which every decoder
 * reads like any other GIF.
 */
export function encodeGif(options: {
  width: number;
  height: number;
  palette: [number, number, number][];
  /** Palette indexes, width × height per frame. */
  frames: Uint8Array[];
  delayCentiseconds?: number;
}): Buffer {
  const { width, height, palette, frames } = options;
  const bitsPerColour = max(2, ceil(log2(max(2, palette.length))));
  const tableSize = 1 << bitsPerColour;
  const bytes: number[] = [...Buffer.from('GIF89a', 'latin1')];
  const u16 = (v: number) => bytes.push(v & 0xff, v >> 8);
  u16(width);
  u16(height);
  bytes.push(0x80 | ((bitsPerColour - 1) << 4) | (bitsPerColour - 1), 0, 0);
  for (let i = 0; i < tableSize; i++) bytes.push(...(palette[i] ?? [0, 0, 0]));
  if (frames.length > 1) {
    // NETSCAPE2.0: loop forever.
    bytes.push(0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'latin1'), 3, 1, 0, 0, 0);
  }
  for (const frame of frames) {
    bytes.push(0x21, 0xf9, 4, 0x04, (options.delayCentiseconds ?? 10) & 0xff, 0, 0, 0);
    bytes.push(0x2c);
    u16(0);
    u16(0);
    u16(width);
    u16(height);
    bytes.push(0);
    const minCodeSize = bitsPerColour;
    bytes.push(minCodeSize);
    const clear = 1 << minCodeSize;
    const codeSize = minCodeSize + 1;
    const codes: number[] = [clear];
    let sinceClear = 0;
    for (const index of frame) {
      codes.push(index);
      // The decoder adds a table entry per code after the first; clear before the code size grows.
      if (++sinceClear === clear - 2) {
        codes.push(clear);
        sinceClear = 0;
      }
    }
    codes.push(clear + 1); // end of information
    const packed: number[] = [];
    let buffer = 0;
    let count = 0;
    for (const code of codes) {
      buffer |= code << count;
      count += codeSize;
      while (count >= 8) {
        packed.push(buffer & 0xff);
        buffer >>= 8;
        count -= 8;
      }
    }
    if (count > 0) packed.push(buffer & 0xff);
    for (let i = 0; i < packed.length; i += 255) {
      const chunk = packed.slice(i, i + 255);
      bytes.push(chunk.length, ...chunk);
    }
    bytes.push(0);
  }
  bytes.push(0x3b);
  return Buffer.from(bytes);
}

/**
 * A lossy WebP's RIFF container and VP8 frame header: what a probe reads. The frame data is not
 * real (no WebP encoder runs in Node here), so it is for header checks only.
 */
export function webpHeader(width = 64, height = 48): Buffer {
  const vp8 = Buffer.alloc(10);
  vp8.set([0x9d, 0x01, 0x2a], 3); // the key frame's start code
  vp8.writeUInt16LE(width, 6);
  vp8.writeUInt16LE(height, 8);
  return riff('WEBP', [['VP8 ', vp8]]);
}

/** An extended WebP (VP8X) whose canvas is `width`×`height` (up to 2^24 each), then a VP8L chunk. */
export function webpExtendedHeader(width: number, height: number, animated = false): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x[0] = animated ? 0x02 : 0;
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const vp8l = Buffer.from([0x2f, 0, 0, 0, 0]);
  return riff('WEBP', [
    ['VP8X', vp8x],
    ['VP8L', vp8l],
  ]);
}

function riff(form: string, chunks: [string, Buffer][]): Buffer {
  const body = Buffer.concat(
    chunks.flatMap(([type, payload]) => [
      Buffer.from(type, 'latin1'),
      le32(payload.length),
      payload,
      Buffer.alloc(payload.length & 1),
    ]),
  );
  return Buffer.concat([
    Buffer.from('RIFF', 'latin1'),
    le32(body.length + 4),
    Buffer.from(form, 'latin1'),
    body,
  ]);
}

/**
 * The boxes of an AVIF a probe reads: `ftyp` (brand avif), `meta` → `iprp` → `ipco` → `ispe`
 * with the size, and an `mdat` of `mediaBytes` (not real AV1 data: header checks only).
 */
export function avifHeader(width = 64, height = 48, mediaBytes = 16): Buffer {
  const box = (type: string, ...payload: Buffer[]) => {
    const body = Buffer.concat(payload);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length + 8, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body]);
  };
  const fullBoxHeader = Buffer.alloc(4);
  const ispe = Buffer.alloc(12);
  ispe.writeUInt32BE(width, 4);
  ispe.writeUInt32BE(height, 8);
  return Buffer.concat([
    box('ftyp', Buffer.from('avif\0\0\0\0mif1avif', 'latin1')),
    box('meta', fullBoxHeader, box('iprp', box('ipco', box('ispe', ispe)))),
    box('mdat', Buffer.alloc(mediaBytes)),
  ]);
}

/**
 * A bilevel (1-bit, white-is-zero) TIFF, one page per size, each page's single strip deflated
 * zeros: tiny on disk, width × height × 4 bytes once decoded. A decompression bomb when large,
 * or when a small first page hides a large second one.
 */
export function bilevelTiff(pages: { width: number; height: number }[]): Buffer {
  const parts: Buffer[] = [];
  let offset = 8;
  const header = Buffer.from([0x49, 0x49, 0x2a, 0, 0, 0, 0, 0]);
  parts.push(header);
  // Every strip first, then every directory after them.
  const strips = pages.map(({ width, height }) => {
    const strip = deflateSync(Buffer.alloc(ceil(width / 8) * height), { level: 9 });
    parts.push(strip, Buffer.alloc(strip.length & 1));
    const at = offset;
    offset += strip.length + (strip.length & 1);
    return { at, length: strip.length };
  });
  const directories = pages.map(({ width, height }, index) => {
    const strip = strips[index] ?? { at: 0, length: 0 };
    // tag, type (3 SHORT, 4 LONG), value; entries sorted by tag as TIFF requires.
    const entries: [number, number, number][] = [
      [256, 4, width],
      [257, 4, height],
      [258, 3, 1],
      [259, 3, 8],
      [262, 3, 0],
      [273, 4, strip.at],
      [277, 3, 1],
      [278, 4, height],
      [279, 4, strip.length],
    ];
    const at = offset;
    offset += 2 + entries.length * 12 + 4;
    return { at, entries };
  });
  header.writeUInt32LE(directories[0]?.at ?? 0, 4);
  directories.forEach(({ entries }, index) => {
    const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
    ifd.writeUInt16LE(entries.length, 0);
    entries.forEach(([tag, type, value], i) => {
      const at = 2 + i * 12;
      ifd.writeUInt16LE(tag, at);
      ifd.writeUInt16LE(type, at + 2);
      ifd.writeUInt32LE(1, at + 4);
      if (type === 3) ifd.writeUInt16LE(value, at + 8);
      else ifd.writeUInt32LE(value, at + 8);
    });
    ifd.writeUInt32LE(directories[index + 1]?.at ?? 0, 2 + entries.length * 12);
    parts.push(ifd);
  });
  return Buffer.concat(parts);
}

/**
 * The BMP decompression bomb: an 8-bit run-length-encoded (RLE8) bitmap whose header says
 * `width`×`height` and whose pixel data is one "end of bitmap" code — a few dozen bytes on disk,
 * width × height × 4 once decoded.
 */
export function rleBmpBomb(width = 20_000, height = 20_000): Buffer {
  const palette = Buffer.alloc(256 * 4);
  const pixels = Buffer.from([0x00, 0x01]);
  const dataOffset = 14 + 40 + palette.length;
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(dataOffset + pixels.length, 2);
  header.writeUInt32LE(dataOffset, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(8, 28);
  header.writeUInt32LE(1, 30); // BI_RLE8
  header.writeUInt32LE(pixels.length, 34);
  header.writeUInt32LE(256, 46);
  return Buffer.concat([header, palette, pixels]);
}

function le32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v, 0);
  return b;
}

/** A test card: smooth gradients, hard edges and a marked top-left corner, in RGBA. */
export function testCard(width: number, height: number, options: { alpha?: boolean } = {}) {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const u = x / width;
      const v = y / height;
      const band = floor(u * 8) % 2 === 0;
      data[i] = round(255 * u);
      data[i + 1] = round(255 * v);
      data[i + 2] = band ? 200 : 60;
      data[i + 3] = options.alpha ? round(255 * (1 - v * 0.8)) : 255;
    }
  }
  // A red block in the top-left corner tells where "up" and "left" went.
  const corner = max(1, floor(min(width, height) / 4));
  for (let y = 0; y < corner; y++) {
    for (let x = 0; x < corner; x++) {
      const i = (y * width + x) * 4;
      data[i] = 255;
      data[i + 1] = 0;
      data[i + 2] = 0;
      data[i + 3] = 255;
    }
  }
  return { data, width, height };
}

/**
 * A photo-like RGBA image for benchmarks: smooth value noise at several scales (sky, shapes),
 * hard-edged striped discs, and a little sensor noise, so a JPEG of it carries about as many AC
 * coefficients as a camera photo (≈ 2 bits per pixel at quality 90). Deterministic.
 */
export function photoLike(width: number, height: number, seed = 1) {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0xffffffff;
  };
  const smooth = (t: number) => t * t * (3 - 2 * t);
  const sum = new Float32Array(width * height * 3);
  let amplitude = 1;
  let total = 0;
  for (const cells of [6, 24, 96]) {
    const w = cells + 2;
    const h = ceil((cells * height) / width) + 2;
    const grid = Float32Array.from({ length: w * h * 3 }, () => random());
    const ix = new Int32Array(width);
    const tx = new Float32Array(width);
    for (let x = 0; x < width; x++) {
      const fx = (x / width) * cells;
      ix[x] = floor(fx);
      tx[x] = smooth(fx - floor(fx));
    }
    for (let y = 0; y < height; y++) {
      const fy = (y / width) * cells;
      const iy = floor(fy);
      const ty = smooth(fy - iy);
      for (let x = 0; x < width; x++) {
        const gx = ix[x] ?? 0;
        const t = tx[x] ?? 0;
        const a = (iy * w + gx) * 3;
        const b = ((iy + 1) * w + gx) * 3;
        const o = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) {
          const top = (grid[a + c] ?? 0) * (1 - t) + (grid[a + 3 + c] ?? 0) * t;
          const bottom = (grid[b + c] ?? 0) * (1 - t) + (grid[b + 3 + c] ?? 0) * t;
          sum[o + c] = (sum[o + c] ?? 0) + amplitude * (top * (1 - ty) + bottom * ty);
        }
      }
    }
    total += amplitude;
    amplitude *= 0.45;
  }
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const noise = (random() - 0.5) * 14;
    for (let c = 0; c < 3; c++) {
      data[p * 4 + c] = max(0, min(255, ((sum[p * 3 + c] ?? 0) / total) * 255 + noise));
    }
    data[p * 4 + 3] = 255;
  }
  for (let d = 0; d < 40; d++) {
    const cx = random() * width;
    const cy = random() * height;
    const r = (0.02 + random() * 0.12) * min(width, height);
    const colour = [random() * 255, random() * 255, random() * 255];
    for (let y = max(0, floor(cy - r)); y < min(height, cy + r); y++) {
      for (let x = max(0, floor(cx - r)); x < min(width, cx + r); x++) {
        const dx = x - cx;
        const dy = y - cy;
        if (dx * dx + dy * dy >= r * r) continue;
        const stripe = sin((dx + dy) * 0.15) * 25 + (random() - 0.5) * 14;
        const i = (y * width + x) * 4;
        for (let c = 0; c < 3; c++) {
          data[i + c] = max(0, min(255, (colour[c] ?? 0) + stripe));
        }
      }
    }
  }
  return { data, width, height };
}
