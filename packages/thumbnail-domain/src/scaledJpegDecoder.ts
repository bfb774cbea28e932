import { BitReader, buildHuffmanTable, corrupt, type HuffmanTable } from './jpegHuffman';
import { JPEG_MARKER, jpegSegments } from './jpegSegments';
import { decodeProgressiveAcScan, type LowSlots } from './progressiveJpeg';

// Module-scope aliases: under jest's VM, every `Math.x` in a hot loop is a slow global lookup.
const { ceil, cos, floor, max, min, PI, round, SQRT1_2 } = Math;

/** A JPEG decoded at a reduced scale. */
export interface ScaledJpegBitmap {
  /** RGBA, 4 bytes per pixel, alpha 255 — the layout jimp's bitmaps have. */
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Samples per block side a reduced decode produces: 1 is 1/8 scale (the DC coefficient, the
 * block's mean), 2 is 1/4 and 4 is 1/2 (an inverse DCT of the block's lowest 2×2 or 4×4
 * coefficients).
 */
export type JpegBlockSamples = 1 | 2 | 4;

interface FrameComponent {
  id: number;
  h: number;
  v: number;
  tq: number;
  /** Blocks per line and column of the MCU-padded grid. */
  blocksW: number;
  blocksH: number;
  /** Blocks that hold image data (the grid of a non-interleaved scan). */
  usedW: number;
  usedH: number;
  dc: Int32Array;
  /**
   * Scaled decodes only: each block's lowest N×N AC coefficients, quantised, row-major (the DC
   * slot unused: it is in `dc`). 16 bits, as libjpeg keeps them: enough for 8-bit JPEGs.
   */
  low: Int16Array;
  /** Progressive scaled decodes only: which AC coefficients are non-zero (progressiveJpeg.ts). */
  nonzero: Int32Array;
  pred: number;
  /** Lowest successive-approximation bit decoded so far; 0 means the DC is complete. */
  lowestAl: number;
}

/** Zig-zag position → row-major position within the 8×8 block (ITU T.81 figure 5). */
const ZIGZAG_TO_NATURAL = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/**
 * For each zig-zag position, where its coefficient goes in an N×N low-frequency block, or -1 when
 * it lies outside (and is only decoded to find the next one).
 */
function lowFrequencySlots(n: number): LowSlots {
  const slots = Int8Array.from(ZIGZAG_TO_NATURAL, (natural) => {
    const row = natural >> 3;
    const column = natural & 7;
    return row < n && column < n ? row * n + column : -1;
  });
  return { slots, last: slots.findLastIndex((slot) => slot >= 0), size: n * n };
}

/**
 * The N-point inverse DCT basis, `basis[x * n + u]`: the 8-point IDCT's cosine series (with its
 * ½·C(u) factor) evaluated at the centres of the N equal parts of the block — what libjpeg's
 * reduced-size IDCTs compute, so the result is the block's low-pass image, its mean preserved.
 */
function reducedIdctBasis(n: number): Float32Array {
  const basis = new Float32Array(n * n);
  for (let x = 0; x < n; x++) {
    for (let u = 0; u < n; u++) {
      basis[x * n + u] = 0.5 * (u === 0 ? SQRT1_2 : 1) * cos(((2 * x + 1) * u * PI) / (2 * n));
    }
  }
  return basis;
}

/**
 * Decodes a JPEG at 1/8 scale: one pixel per 8×8 block, whose value is the block's exact mean (its
 * DC coefficient). No inverse DCT, no full-size buffer: for a 20 MP photo the output is 0.3 MP and
 * the work is the Huffman decoding (baseline) or a byte scan over the AC scans (progressive, which
 * stops once its DC scans are complete).
 *
 * Handles baseline and extended (SOF0/SOF1) and progressive (SOF2) Huffman-coded 8-bit JPEGs with
 * 1 or 3 components, any chroma subsampling, restart intervals, interleaved and non-interleaved
 * scans and successive approximation of the DC. Anything else returns `undefined`, and the caller
 * decodes in full instead.
 *
 * @throws ImageRejectedError `corrupt` when the JPEG's structure or Huffman data is broken.
 */
export function decodeJpegDc(bytes: Uint8Array): ScaledJpegBitmap | undefined {
  return decodeJpegScaled(bytes, 1);
}

/**
 * Decodes a JPEG at 1/8, 1/4 or 1/2 scale (`samples` 1, 2 or 4 per block side), as libjpeg's
 * scaled decoding does: at 1/4 and 1/2 each block's lowest 2×2 or 4×4 coefficients go through a
 * 2- or 4-point inverse DCT and the rest are decoded only to reach the next block. Output size at
 * 1/4 and 1/2 is ⌈width × N / 8⌉ × ⌈height × N / 8⌉; at 1/8, as {@link decodeJpegDc} says.
 * Progressive files at 1/4 and 1/2 have every scan decoded (progressiveJpeg.ts) into the same
 * N×N storage, plus one bit per coefficient, so they give the same pixels as their baseline twin.
 *
 * Returns `undefined` for what it does not handle — arithmetic coding, lossless, 12-bit,
 * CMYK/YCCK — so the caller can decode those in full.
 *
 * @throws ImageRejectedError `corrupt` when the JPEG's structure or Huffman data is broken,
 *   `truncated` when it ends before what the decode needs.
 * @example
 * ```ts
 * const quarter = decodeJpegScaled(bytes, 2); // a 1152×864 photo → 288×216 RGBA, or undefined
 * ```
 */
export function decodeJpegScaled(
  bytes: Uint8Array,
  samples: JpegBlockSamples,
): ScaledJpegBitmap | undefined {
  const n = samples;
  const quantTables: (Uint16Array | undefined)[] = [];
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let components: FrameComponent[] = [];
  let width = 0;
  let height = 0;
  let progressive = false;
  let frameSeen = false;
  let mcusX = 0;
  let mcusY = 0;
  let hmax = 1;
  let vmax = 1;
  let restartInterval = 0;
  const slots = n > 1 ? lowFrequencySlots(n) : undefined;

  const u16 = (offset: number) => ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
  const dcComplete = () => frameSeen && components.every((c) => c.lowestAl === 0);

  for (const { marker, start, end } of jpegSegments(bytes)) {
    switch (marker) {
      case JPEG_MARKER.DQT: {
        let p = start;
        while (p < end) {
          const wide = (bytes[p] ?? 0) >> 4 !== 0;
          const id = (bytes[p] ?? 0) & 15;
          const table = new Uint16Array(64);
          for (let k = 0; k < 64; k++) {
            table[k] = wide ? u16(p + 1 + 2 * k) : (bytes[p + 1 + k] ?? 0);
          }
          quantTables[id] = table;
          p += 1 + 64 * (wide ? 2 : 1);
        }
        break;
      }
      case JPEG_MARKER.DHT: {
        let p = start;
        while (p < end) {
          const tableClass = (bytes[p] ?? 0) >> 4;
          const id = (bytes[p] ?? 0) & 15;
          const counts = bytes.subarray(p + 1, p + 17);
          const total = counts.reduce((sum, count) => sum + count, 0);
          const values = bytes.subarray(p + 17, p + 17 + total);
          if (p + 17 + total > end) throw corrupt('JPEG Huffman table runs past its segment');
          (tableClass === 0 ? dcTables : acTables)[id] = buildHuffmanTable(counts, values);
          p += 17 + total;
        }
        break;
      }
      case JPEG_MARKER.DRI:
        restartInterval = u16(start);
        break;
      case 0xc0:
      case 0xc1:
      case 0xc2: {
        if (frameSeen) throw corrupt('two JPEG frame headers');
        frameSeen = true;
        progressive = marker === 0xc2;
        if ((bytes[start] ?? 0) !== 8) return undefined;
        height = u16(start + 1);
        width = u16(start + 3);
        const count = bytes[start + 5] ?? 0;
        if (count !== 1 && count !== 3) return undefined;
        if (width === 0 || height === 0) return undefined;
        components = [];
        for (let i = 0; i < count; i++) {
          const p = start + 6 + i * 3;
          const sampling = bytes[p + 1] ?? 0;
          const h = sampling >> 4;
          const v = sampling & 15;
          if (h < 1 || h > 4 || v < 1 || v > 4) throw corrupt('bad JPEG sampling factors');
          components.push({
            id: bytes[p] ?? 0,
            h,
            v,
            tq: (bytes[p + 2] ?? 0) & 3,
            blocksW: 0,
            blocksH: 0,
            usedW: 0,
            usedH: 0,
            dc: new Int32Array(0),
            low: new Int16Array(0),
            nonzero: new Int32Array(0),
            pred: 0,
            lowestAl: Number.POSITIVE_INFINITY,
          });
        }
        hmax = max(...components.map((c) => c.h));
        vmax = max(...components.map((c) => c.v));
        mcusX = ceil(width / (8 * hmax));
        mcusY = ceil(height / (8 * vmax));
        for (const c of components) {
          c.blocksW = mcusX * c.h;
          c.blocksH = mcusY * c.v;
          c.usedW = ceil(ceil((width * c.h) / hmax) / 8);
          c.usedH = ceil(ceil((height * c.v) / vmax) / 8);
          c.dc = new Int32Array(c.blocksW * c.blocksH);
          if (n > 1) c.low = new Int16Array(c.blocksW * c.blocksH * n * n);
          if (n > 1 && progressive) c.nonzero = new Int32Array(c.blocksW * c.blocksH * 2);
        }
        break;
      }
      case JPEG_MARKER.SOS: {
        if (!frameSeen) throw corrupt('JPEG scan before its frame header');
        const count = bytes[start] ?? 0;
        const scanComponents: ScanComponent[] = [];
        for (let i = 0; i < count; i++) {
          const id = bytes[start + 1 + i * 2] ?? 0;
          const tables = bytes[start + 2 + i * 2] ?? 0;
          const component = components.find((c) => c.id === id);
          if (!component) throw corrupt('JPEG scan names an unknown component');
          scanComponents.push({ component, dc: dcTables[tables >> 4], ac: acTables[tables & 15] });
        }
        const p = start + 1 + count * 2;
        const ss = bytes[p] ?? 0;
        const se = bytes[p + 1] ?? 0;
        const ah = (bytes[p + 2] ?? 0) >> 4;
        const al = (bytes[p + 2] ?? 0) & 15;
        if (progressive && ss !== 0) {
          // Skipped (the walker steps over its data) at 1/8, and when its band lies past the kept
          // coefficients and is final (Al 0: no refinement of it can follow).
          if (!slots || (al === 0 && ss > slots.last)) break;
          const [only] = scanComponents;
          if (!only || count !== 1) throw corrupt('progressive JPEG AC scan of several components');
          const scan = { ss, se, ah, al };
          decodeProgressiveAcScan(
            new BitReader(bytes, end),
            only.component,
            only.ac,
            scan,
            slots,
            restartInterval,
          );
          break;
        }
        decodeScan(new BitReader(bytes, end), scanComponents, { progressive, se, ah, al });
        // At 1/8, stop once the DC is complete: the remaining AC scans are not needed.
        if (!slots && dcComplete()) return finish();
        break;
      }
      default:
        if (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8) {
          return undefined; // lossless, hierarchical or arithmetic coding
        }
    }
  }
  return finish();

  interface ScanComponent {
    component: FrameComponent;
    dc?: HuffmanTable;
    ac?: HuffmanTable;
  }

  function decodeScan(
    reader: BitReader,
    scan: ScanComponent[],
    params: { progressive: boolean; se: number; ah: number; al: number },
  ): void {
    for (const s of scan) {
      if (params.ah === 0 && !s.dc) throw corrupt('JPEG scan without its DC Huffman table');
      if (!params.progressive && !s.ac) throw corrupt('JPEG scan without its AC Huffman table');
      s.component.pred = 0;
    }
    const single = scan.length === 1 ? scan[0] : undefined;
    const total = single ? single.component.usedW * single.component.usedH : mcusX * mcusY;
    const refine = params.ah > 0;
    const al = params.al;
    const se = params.se;
    const lowSize = n * n;

    const decodeBlock = (
      c: FrameComponent,
      dcTable: HuffmanTable | undefined,
      acTable: HuffmanTable | undefined,
      index: number,
    ) => {
      if (refine) {
        if (reader.getBits(1)) c.dc[index] = (c.dc[index] ?? 0) | (1 << al);
        return;
      }
      const t = reader.decode(dcTable as HuffmanTable);
      c.pred += t === 0 ? 0 : reader.receiveExtend(t);
      c.dc[index] = c.pred << al;
      if (params.progressive) return;
      // Baseline: every AC coefficient is decoded to find the next block; at 1/4 and 1/2 scale
      // the low-frequency ones are kept, quantised.
      const ac = acTable as HuffmanTable;
      const last = slots ? slots.last : 0;
      const base = index * lowSize;
      for (let k = 1; k <= se; ) {
        let rs: number;
        if (k > last) {
          // Past the kept slots: code and magnitude bits go in one lookup when they fit.
          rs = reader.skipCoefficient(ac);
          if (rs < 0) {
            rs = reader.decode(ac);
            reader.skipBits(rs & 15);
          }
          if ((rs & 15) === 0) {
            if (rs >> 4 < 15) break;
            k += 16;
          } else {
            k += (rs >> 4) + 1;
          }
          continue;
        }
        rs = reader.decode(ac);
        const size = rs & 15;
        const run = rs >> 4;
        if (size === 0) {
          if (run < 15) break;
          k += 16;
          continue;
        }
        k += run;
        const slot = slots && k < 64 ? (slots.slots[k] as number) : -1;
        if (slot < 0) reader.skipBits(size);
        else c.low[base + slot] = reader.receiveExtend(size);
        k++;
      }
    };

    for (let m = 0; m < total; m++) {
      if (restartInterval > 0 && m > 0 && m % restartInterval === 0) {
        if (!reader.restart()) break;
        for (const s of scan) s.component.pred = 0;
      }
      if (single) {
        const c = single.component;
        const row = floor(m / c.usedW);
        const col = m - row * c.usedW;
        decodeBlock(c, single.dc, single.ac, row * c.blocksW + col);
      } else {
        const mcuRow = floor(m / mcusX);
        const mcuCol = m - mcuRow * mcusX;
        for (const s of scan) {
          const c = s.component;
          for (let v = 0; v < c.v; v++) {
            const rowStart = (mcuRow * c.v + v) * c.blocksW + mcuCol * c.h;
            for (let h = 0; h < c.h; h++) decodeBlock(c, s.dc, s.ac, rowStart + h);
          }
        }
      }
    }
    for (const s of scan) s.component.lowestAl = min(s.component.lowestAl, al);
  }

  function finish(): ScaledJpegBitmap | undefined {
    if (!frameSeen) throw corrupt('the JPEG has no frame header');
    if (components.some((c) => c.lowestAl === Number.POSITIVE_INFINITY)) {
      throw corrupt('the JPEG has no DC data for some component');
    }
    // At 1/8 the size rounds (a block's mean stands for its whole block); at 1/4 and 1/2 it is
    // rounded up, as libjpeg's scaled output is.
    const outWidth = n === 1 ? max(1, round(width / 8)) : ceil((width * n) / 8);
    const outHeight = n === 1 ? max(1, round(height / 8)) : ceil((height * n) / 8);
    const planes = components.map((c) => {
      const quant = quantTables[c.tq];
      if (!quant) throw corrupt('JPEG component without its quantisation table');
      const samples = componentSamples(c, quant, n, slots);
      const stride = c.blocksW * n;
      if (c.h === hmax && c.v === vmax) return { values: samples, stride };
      return {
        values: upsample(
          { values: samples, stride },
          { width: c.usedW * n, height: c.usedH * n },
          { x: c.h / hmax, y: c.v / vmax },
          outWidth,
          outHeight,
        ),
        stride: outWidth,
      };
    });
    return toRgba(planes, outWidth, outHeight);
  }
}

/**
 * A component's samples at N per block side, level-shifted by 128: at N = 1 (no `slots`) each
 * block's mean (DC × quantiser / 8), otherwise the N-point inverse DCT of its lowest N×N
 * coefficients, dequantised here (`quant` is in zig-zag order, as the DQT segment has it).
 */
function componentSamples(
  c: FrameComponent,
  quant: Uint16Array,
  n: number,
  slots: LowSlots | undefined,
): Float32Array {
  const blocks = c.blocksW * c.blocksH;
  const dcQuant = quant[0] ?? 0;
  if (!slots) {
    const means = new Float32Array(blocks);
    for (let i = 0; i < blocks; i++) means[i] = ((c.dc[i] ?? 0) * dcQuant) / 8 + 128;
    return means;
  }
  const slotQuant = new Float32Array(slots.size);
  slots.slots.forEach((slot, k) => {
    if (slot >= 0) slotQuant[slot] = quant[k] ?? 0;
  });
  const basis = reducedIdctBasis(n);
  const stride = c.blocksW * n;
  const out = new Float32Array(blocks * n * n);
  const coefficients = new Float32Array(n * n);
  const rows = new Float32Array(n * n);
  for (let b = 0; b < blocks; b++) {
    const base = b * n * n;
    for (let i = 0; i < n * n; i++) coefficients[i] = (c.low[base + i] ?? 0) * (slotQuant[i] ?? 0);
    coefficients[0] = (c.dc[b] ?? 0) * dcQuant;
    // Separable: along each coefficient row (u), then down each column (v).
    for (let v = 0; v < n; v++) {
      for (let x = 0; x < n; x++) {
        let sum = 0;
        for (let u = 0; u < n; u++) sum += (basis[x * n + u] ?? 0) * (coefficients[v * n + u] ?? 0);
        rows[v * n + x] = sum;
      }
    }
    const blockRow = floor(b / c.blocksW);
    const blockColumn = b - blockRow * c.blocksW;
    for (let y = 0; y < n; y++) {
      const outRow = (blockRow * n + y) * stride + blockColumn * n;
      for (let x = 0; x < n; x++) {
        let sum = 0;
        for (let v = 0; v < n; v++) sum += (basis[y * n + v] ?? 0) * (rows[v * n + x] ?? 0);
        out[outRow + x] = sum + 128;
      }
    }
  }
  return out;
}

/**
 * RGBA from one (grey) or three (YCbCr) planes on the output grid. Three components are YCbCr
 * whatever an Adobe marker says: jpeg-js (the full decoder) does the same, so the paths never
 * disagree on colour.
 */
function toRgba(
  planes: { values: Float32Array; stride: number }[],
  outWidth: number,
  outHeight: number,
): ScaledJpegBitmap {
  const data = Buffer.alloc(outWidth * outHeight * 4);
  const [p0, p1, p2] = planes;
  if (!p0) return { data, width: outWidth, height: outHeight };
  // Plain locals in the loops: property and optional lookups per pixel cost more than the maths.
  const luma = p0.values;
  const lumaStride = p0.stride;
  let o = 0;
  if (!p1 || !p2) {
    for (let y = 0; y < outHeight; y++) {
      const row = y * lumaStride;
      for (let x = 0; x < outWidth; x++) {
        const gray = clamp(luma[row + x] as number);
        data[o] = gray;
        data[o + 1] = gray;
        data[o + 2] = gray;
        data[o + 3] = 255;
        o += 4;
      }
    }
    return { data, width: outWidth, height: outHeight };
  }
  const blue = p1.values;
  const red = p2.values;
  for (let y = 0; y < outHeight; y++) {
    const r0 = y * lumaStride;
    const r1 = y * p1.stride;
    const r2 = y * p2.stride;
    for (let x = 0; x < outWidth; x++) {
      const c0 = luma[r0 + x] as number;
      const cb = (blue[r1 + x] as number) - 128;
      const cr = (red[r2 + x] as number) - 128;
      // The same YCbCr → RGB as jpeg-js.
      data[o] = clamp(c0 + 1.402 * cr);
      data[o + 1] = clamp(c0 - 0.3441363 * cb - 0.71413636 * cr);
      data[o + 2] = clamp(c0 + 1.772 * cb);
      data[o + 3] = 255;
      o += 4;
    }
  }
  return { data, width: outWidth, height: outHeight };
}

/**
 * A subsampled component's samples on the output grid, each repeated over the output pixels it
 * covers — as jpeg-js replicates chroma at full size. (Bilinear spreading measured worse against
 * the full decode at 1/8: the area-averaging downscale that follows already smooths, and more
 * blur only moves colour edges further from where the full path has them.)
 */
function upsample(
  plane: { values: Float32Array; stride: number },
  used: { width: number; height: number },
  scale: { x: number; y: number },
  outWidth: number,
  outHeight: number,
): Float32Array {
  const columns = Int32Array.from({ length: outWidth }, (_, x) =>
    min(floor(x * scale.x), used.width - 1),
  );
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const row = min(floor(y * scale.y), used.height - 1) * plane.stride;
    for (let x = 0; x < outWidth; x++) {
      out[y * outWidth + x] = plane.values[row + (columns[x] ?? 0)] ?? 0;
    }
  }
  return out;
}

const clamp = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : round(value));
