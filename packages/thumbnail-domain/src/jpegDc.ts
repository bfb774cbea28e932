import { ImageRejectedError } from './errors';
import { skipEntropyCodedData } from './probe';

// Module-scope aliases: under jest's VM, every `Math.x` in a hot loop is a slow global lookup.
const { ceil, floor, max, min, round } = Math;

/**
 * A JPEG decoded at 1/8 scale from its DC coefficients alone: one pixel per 8×8 block, whose value
 * is the block's exact mean. No inverse DCT, no full-size buffer: for a 20 MP photo the output is
 * 0.3 MP and the work is the Huffman decoding (baseline) or a byte scan over the AC scans
 * (progressive, which stops once its DC scans are complete).
 *
 * Handles baseline and extended (SOF0/SOF1) and progressive (SOF2) Huffman-coded 8-bit JPEGs with
 * 1 or 3 components, any chroma subsampling, restart intervals, interleaved and non-interleaved
 * scans and successive approximation of the DC. Anything else returns `undefined`, and the caller
 * decodes in full instead.
 */
export interface DcBitmap {
  /** RGBA, 4 bytes per pixel, alpha 255 — the layout jimp's bitmaps have. */
  data: Buffer;
  width: number;
  height: number;
}

interface HuffmanTable {
  /** 9-bit lookahead: (code length << 8) | symbol, 0 when the code is longer than 9 bits. */
  lut: Uint16Array;
  maxcode: Int32Array;
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

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
  pred: number;
  /** Lowest successive-approximation bit decoded so far; 0 means the DC is complete. */
  lowestAl: number;
}

const LOOKAHEAD = 9;

const corrupt = (message: string) => new ImageRejectedError('corrupt', message);

function buildHuffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const lut = new Uint16Array(1 << LOOKAHEAD);
  const maxcode = new Int32Array(18).fill(-1);
  const valptr = new Int32Array(17);
  const mincode = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1] ?? 0;
    valptr[length] = k;
    mincode[length] = code;
    for (let i = 0; i < n; i++) {
      if (length <= LOOKAHEAD) {
        const shift = LOOKAHEAD - length;
        const first = code << shift;
        const entry = (length << 8) | (values[k] ?? 0);
        for (let j = 0; j < 1 << shift; j++) lut[first + j] = entry;
      }
      code++;
      k++;
    }
    if (n > 0) maxcode[length] = code - 1;
    if (code > 1 << length) throw corrupt('bad Huffman table');
    code <<= 1;
  }
  maxcode[17] = 0x7fffffff;
  return { lut, maxcode, valptr, mincode, values };
}

/** Reads the entropy-coded bits of one scan; after a marker it yields zeros, as libjpeg does. */
class BitReader {
  pos: number;
  bits = 0;
  count = 0;
  atMarker = false;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  fill(): void {
    const bytes = this.bytes;
    while (this.count <= 24) {
      let byte = 0;
      if (!this.atMarker) {
        byte = bytes[this.pos] ?? 0;
        if (this.pos >= bytes.length) {
          this.atMarker = true;
          byte = 0;
        } else if (byte === 0xff) {
          const next = bytes[this.pos + 1] ?? 0;
          if (next === 0) {
            this.pos += 2;
          } else {
            this.atMarker = true;
            byte = 0;
          }
        } else {
          this.pos++;
        }
      }
      this.bits = (this.bits << 8) | byte;
      this.count += 8;
    }
  }

  getBits(n: number): number {
    if (this.count < n) this.fill();
    this.count -= n;
    return (this.bits >>> this.count) & ((1 << n) - 1);
  }

  /** A Huffman-coded magnitude of `n` bits, sign-extended (JPEG's EXTEND). */
  receiveExtend(n: number): number {
    if (n === 0) return 0;
    const value = this.getBits(n);
    return value < 1 << (n - 1) ? value - (1 << n) + 1 : value;
  }

  skipBits(n: number): void {
    if (this.count < n) this.fill();
    this.count -= n;
  }

  decode(table: HuffmanTable): number {
    if (this.count < 16) this.fill();
    const count = this.count;
    const bits = this.bits;
    const entry = table.lut[(bits >>> (count - LOOKAHEAD)) & ((1 << LOOKAHEAD) - 1)] ?? 0;
    if (entry !== 0) {
      this.count = count - (entry >> 8);
      return entry & 0xff;
    }
    for (let length = LOOKAHEAD + 1; length <= 16; length++) {
      const code = (bits >>> (count - length)) & ((1 << length) - 1);
      if (code <= (table.maxcode[length] ?? -1)) {
        this.count = count - length;
        return table.values[(table.valptr[length] ?? 0) + code - (table.mincode[length] ?? 0)] ?? 0;
      }
    }
    throw corrupt('bad Huffman code in the JPEG data');
  }

  /** Byte-aligns at a restart marker (RSTn) and reports whether one was there. */
  restart(): boolean {
    this.bits = 0;
    this.count = 0;
    this.atMarker = false;
    const marker = skipToMarker(this.bytes, this.pos);
    if (
      marker >= 0 &&
      (this.bytes[marker + 1] ?? 0) >= 0xd0 &&
      (this.bytes[marker + 1] ?? 0) <= 0xd7
    ) {
      this.pos = marker + 2;
      return true;
    }
    // Lost sync: the rest of the scan reads as zeros (grey), as tolerant decoders do.
    this.atMarker = true;
    return false;
  }
}

/** The next 0xFF that starts a marker (not a stuffed 0xFF00 or fill byte), or -1. */
function skipToMarker(bytes: Uint8Array, from: number): number {
  let pos = from;
  for (;;) {
    pos = bytes.indexOf(0xff, pos);
    if (pos < 0 || pos + 1 >= bytes.length) return -1;
    const next = bytes[pos + 1] ?? 0;
    if (next !== 0 && next !== 0xff) return pos;
    pos += next === 0xff ? 1 : 2;
  }
}

/**
 * Decodes a JPEG at 1/8 scale (one pixel per 8×8 block: its DC coefficient). Returns `undefined`
 * for JPEGs it does not handle (arithmetic coding, lossless, 12-bit, CMYK/YCCK), so the caller can
 * decode those in full.
 *
 * @throws ImageRejectedError `corrupt` when the JPEG's structure or Huffman data is broken.
 */
export function decodeJpegDc(bytes: Uint8Array): DcBitmap | undefined {
  const quantDc: number[] = [];
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

  let pos = 2;
  const u16 = (offset: number) => ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
  const dcComplete = () => frameSeen && components.every((c) => c.lowestAl === 0);

  for (;;) {
    if (pos + 1 >= bytes.length) break;
    if (bytes[pos] !== 0xff) throw corrupt(`no JPEG marker at offset ${pos}`);
    while (bytes[pos] === 0xff) pos++;
    const marker = bytes[pos] ?? 0;
    pos++;
    if (marker === 0xd9) break; // EOI
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    const length = u16(pos);
    const start = pos + 2;
    const end = pos + length;
    if (length < 2 || end > bytes.length) throw corrupt('JPEG segment runs past the end');
    switch (marker) {
      case 0xdb: {
        // DQT: only each table's first (DC) entry matters here.
        let p = start;
        while (p < end) {
          const precision = (bytes[p] ?? 0) >> 4;
          const id = (bytes[p] ?? 0) & 15;
          quantDc[id] = precision === 0 ? (bytes[p + 1] ?? 0) : u16(p + 1);
          p += 1 + 64 * (precision === 0 ? 1 : 2);
        }
        break;
      }
      case 0xc4: {
        // DHT
        let p = start;
        while (p < end) {
          const tableClass = (bytes[p] ?? 0) >> 4;
          const id = (bytes[p] ?? 0) & 15;
          const counts = bytes.subarray(p + 1, p + 17);
          const total = counts.reduce((sum, n) => sum + n, 0);
          const values = bytes.subarray(p + 17, p + 17 + total);
          if (p + 17 + total > end) throw corrupt('JPEG Huffman table runs past its segment');
          (tableClass === 0 ? dcTables : acTables)[id] = buildHuffmanTable(counts, values);
          p += 17 + total;
        }
        break;
      }
      case 0xdd:
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
        }
        break;
      }
      case 0xda: {
        if (!frameSeen) throw corrupt('JPEG scan before its frame header');
        const count = bytes[start] ?? 0;
        const scanComponents: {
          component: FrameComponent;
          dc?: HuffmanTable;
          ac?: HuffmanTable;
        }[] = [];
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
          // An AC scan: skipped byte by byte, nothing decoded.
          pos = skipEntropyCodedData(bytes, end);
          if (pos < 0) return finish();
          continue;
        }
        const reader = new BitReader(bytes, end);
        decodeScan(reader, scanComponents, { progressive, ss, se, ah, al });
        if (dcComplete()) return finish();
        pos = skipEntropyCodedData(bytes, reader.pos);
        if (pos < 0) return finish();
        continue;
      }
      default:
        if (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8) {
          return undefined; // lossless, hierarchical or arithmetic coding
        }
    }
    pos = end;
  }
  return finish();

  function decodeScan(
    reader: BitReader,
    scan: { component: FrameComponent; dc?: HuffmanTable; ac?: HuffmanTable }[],
    params: { progressive: boolean; ss: number; se: number; ah: number; al: number },
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
      // Baseline: the AC coefficients must be decoded to find the next block, but not kept.
      const ac = acTable as HuffmanTable;
      for (let k = 1; k <= se; ) {
        const rs = reader.decode(ac);
        const size = rs & 15;
        const run = rs >> 4;
        if (size === 0) {
          if (run < 15) break;
          k += 16;
        } else {
          reader.skipBits(size);
          k += run + 1;
        }
      }
    };

    for (let n = 0; n < total; n++) {
      if (restartInterval > 0 && n > 0 && n % restartInterval === 0) {
        if (!reader.restart()) break;
        for (const s of scan) s.component.pred = 0;
      }
      if (single) {
        const c = single.component;
        const row = floor(n / c.usedW);
        const col = n - row * c.usedW;
        decodeBlock(c, single.dc, single.ac, row * c.blocksW + col);
      } else {
        const mcuRow = floor(n / mcusX);
        const mcuCol = n - mcuRow * mcusX;
        for (const s of scan) {
          const c = s.component;
          for (let v = 0; v < c.v; v++) {
            const rowStart = (mcuRow * c.v + v) * c.blocksW + mcuCol * c.h;
            for (let h = 0; h < c.h; h++) decodeBlock(c, s.dc, s.ac, rowStart + h);
          }
        }
      }
    }
    for (const s of scan) {
      if (params.ss === 0) s.component.lowestAl = min(s.component.lowestAl, al);
    }
  }

  function finish(): DcBitmap | undefined {
    if (!frameSeen) throw corrupt('the JPEG has no frame header');
    if (components.some((c) => c.lowestAl === Number.POSITIVE_INFINITY)) {
      throw corrupt('the JPEG has no DC data for some component');
    }
    const outWidth = max(1, round(width / 8));
    const outHeight = max(1, round(height / 8));
    // Each block's mean: DC × quantiser / 8, level-shifted by 128.
    const planes = components.map((c) => {
      const q = quantDc[c.tq];
      if (q === undefined) throw corrupt('JPEG component without its quantisation table');
      const means = new Float32Array(c.dc.length);
      for (let i = 0; i < means.length; i++) means[i] = ((c.dc[i] ?? 0) * q) / 8 + 128;
      if (c.h === hmax && c.v === vmax) return { values: means, stride: c.blocksW };
      const scale = { x: c.h / hmax, y: c.v / vmax };
      return { values: upsample(means, c, scale, outWidth, outHeight), stride: outWidth };
    });
    const data = Buffer.alloc(outWidth * outHeight * 4);
    // Three components are YCbCr, whatever an Adobe marker says: jpeg-js (the full decoder) does
    // the same, so the two paths never disagree on colour.
    const [p0, p1, p2] = planes;
    let o = 0;
    for (let y = 0; y < outHeight; y++) {
      const r0 = y * (p0?.stride ?? 0);
      const r1 = y * (p1?.stride ?? 0);
      const r2 = y * (p2?.stride ?? 0);
      for (let x = 0; x < outWidth; x++) {
        const c0 = p0?.values[r0 + x] ?? 0;
        if (!p1 || !p2) {
          const gray = clamp(c0);
          data[o] = gray;
          data[o + 1] = gray;
          data[o + 2] = gray;
        } else {
          const cb = (p1.values[r1 + x] ?? 0) - 128;
          const cr = (p2.values[r2 + x] ?? 0) - 128;
          // The same YCbCr → RGB as jpeg-js.
          data[o] = clamp(c0 + 1.402 * cr);
          data[o + 1] = clamp(c0 - 0.3441363 * cb - 0.71413636 * cr);
          data[o + 2] = clamp(c0 + 1.772 * cb);
        }
        data[o + 3] = 255;
        o += 4;
      }
    }
    return { data, width: outWidth, height: outHeight };
  }
}

/**
 * A subsampled component's block means on the output grid, each repeated over the blocks it
 * covers — as jpeg-js replicates chroma at full size. (Bilinear spreading measured worse against
 * the full decode: the area-averaging downscale that follows already smooths, and more blur
 * only moves colour edges further from where the full path has them.)
 */
function upsample(
  means: Float32Array,
  c: { usedW: number; usedH: number; blocksW: number },
  scale: { x: number; y: number },
  outWidth: number,
  outHeight: number,
): Float32Array {
  const columns = Int32Array.from({ length: outWidth }, (_, x) =>
    min(floor(x * scale.x), c.usedW - 1),
  );
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const row = min(floor(y * scale.y), c.usedH - 1) * c.blocksW;
    for (let x = 0; x < outWidth; x++) out[y * outWidth + x] = means[row + (columns[x] ?? 0)] ?? 0;
  }
  return out;
}

const clamp = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : round(value));
