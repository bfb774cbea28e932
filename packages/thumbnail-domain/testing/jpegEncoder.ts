/**
 * A small JPEG encoder for fixtures: baseline or progressive, 4:4:4, 4:2:2 or 4:2:0, optional
 * restart intervals and EXIF orientation. jpeg-js (what jimp uses) writes only baseline 4:4:4, and
 * real photos are mostly 4:2:0 and often progressive, so the tests and the benchmark make those
 * here, from the standard tables of ITU T.81 Annex K.
 *
 * Progressive files follow libjpeg's habit of sending the DC in two steps — a first scan with the
 * low bit dropped (Al = 1), the AC scans, and only then the DC refinement (Ah = 1, Al = 0) — so a
 * reader that stops "after the DC" has to skip the AC scans to finish it.
 */

// Module-scope aliases: under jest's VM, every `Math.x` in a hot loop is a slow global lookup.
const { abs, ceil, cos, floor, max, min, round, PI, SQRT1_2 } = Math;

export interface RgbaImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface JpegEncodeOptions {
  /** 1–100, IJG scaling of the Annex K tables; 85 unless said. */
  quality?: number;
  progressive?: boolean;
  /** Chroma subsampling; 4:2:0 unless said. */
  subsampling?: '4:4:4' | '4:2:2' | '4:2:0';
  /** MCUs between restart markers; none unless said. */
  restartInterval?: number;
  /** Writes an APP1 Exif block with this orientation (1–8). */
  orientation?: number;
  /** One component (luma only). */
  grayscale?: boolean;
}

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_QUANT = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  99,
  99,
  99,
  99,
  99,
  99,
  ...new Array<number>(32).fill(99),
];

const DC_LUMA = { bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], values: range(12) };
const DC_CHROMA = { bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], values: range(12) };
const AC_LUMA = {
  bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  values: [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
    0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
  ],
};
const AC_CHROMA = {
  bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  values: [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
    0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
    0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
    0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
    0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
    0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
  ],
};

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

type HuffmanSpec = { bits: number[]; values: number[] };
type HuffmanCodes = { code: Int32Array; length: Int32Array };

function huffmanCodes(spec: HuffmanSpec): HuffmanCodes {
  const total = spec.bits.reduce((a, b) => a + b, 0);
  if (total !== spec.values.length) throw new Error('bad Huffman table spec');
  const code = new Int32Array(256);
  const length = new Int32Array(256);
  let next = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < (spec.bits[len - 1] ?? 0); i++) {
      const value = spec.values[k++] ?? 0;
      code[value] = next++;
      length[value] = len;
    }
    next <<= 1;
  }
  return { code, length };
}

function scaledTable(base: number[], quality: number): number[] {
  const q = min(100, max(1, round(quality)));
  const scale = q < 50 ? 5000 / q : 200 - 2 * q;
  return base.map((v) => min(255, max(1, floor((v * scale + 50) / 100))));
}

class ByteWriter {
  bytes = new Uint8Array(1 << 16);
  length = 0;
  push(...values: number[]): void {
    for (const v of values) this.byte(v);
  }
  byte(v: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = v & 0xff;
  }
  u16(v: number): void {
    this.byte(v >> 8);
    this.byte(v);
  }
  segment(marker: number, payload: number[] | Uint8Array): void {
    this.push(0xff, marker);
    this.u16(payload.length + 2);
    for (const v of payload) this.byte(v);
  }
  result(): Buffer {
    return Buffer.from(this.bytes.subarray(0, this.length));
  }
}

class BitWriter {
  private buffer = 0;
  private count = 0;
  constructor(private readonly out: ByteWriter) {}
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.buffer = (this.buffer << 1) | ((value >> i) & 1);
      this.count++;
      if (this.count === 8) this.emit();
    }
  }
  private emit(): void {
    this.out.byte(this.buffer);
    if ((this.buffer & 0xff) === 0xff) this.out.byte(0);
    this.buffer = 0;
    this.count = 0;
  }
  /** Pads the last byte with 1 bits. */
  flush(): void {
    while (this.count !== 0) this.write(1, 1);
  }
}

const category = (v: number) => {
  let a = abs(v);
  let n = 0;
  while (a > 0) {
    a >>= 1;
    n++;
  }
  return n;
};
const magnitudeBits = (v: number, n: number) => (v >= 0 ? v : v + (1 << n) - 1);

/** The EXIF APP1 payload that says nothing but the orientation. */
export function exifApp1(orientation: number): Uint8Array {
  return Uint8Array.from([
    ...Buffer.from('Exif\0\0', 'latin1'),
    ...[0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00], // little-endian TIFF, IFD0 at 8
    0x01,
    0x00, // one entry
    0x12,
    0x01,
    0x03,
    0x00,
    0x01,
    0x00,
    0x00,
    0x00,
    orientation & 0xff,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00, // no next IFD
  ]);
}

/** Inserts an APP1 Exif block with the orientation right after SOI (for jpeg-js output, say). */
export function withExifOrientation(jpeg: Uint8Array, orientation: number): Buffer {
  const app1 = exifApp1(orientation);
  const segment = [0xff, 0xe1, (app1.length + 2) >> 8, (app1.length + 2) & 0xff, ...app1];
  return Buffer.concat([jpeg.subarray(0, 2), Uint8Array.from(segment), jpeg.subarray(2)]);
}

interface Component {
  id: number;
  h: number;
  v: number;
  table: 0 | 1;
  usedW: number;
  usedH: number;
  blocksW: number;
  blocksH: number;
  /** Quantised coefficients, 64 per block in zig-zag order, over the MCU-padded grid. */
  coefficients: Int32Array;
}

const COS = (() => {
  const table = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    for (let x = 0; x < 8; x++) {
      table[u * 8 + x] = ((u === 0 ? SQRT1_2 : 1) / 2) * cos(((2 * x + 1) * u * PI) / 16);
    }
  }
  return table;
})();

/** Encodes an RGBA image (alpha ignored) as a JPEG. */
export function encodeJpeg(image: RgbaImage, options: JpegEncodeOptions = {}): Buffer {
  const { width, height, data } = image;
  const quality = options.quality ?? 85;
  const grayscale = options.grayscale === true;
  const subsampling = grayscale ? '4:4:4' : (options.subsampling ?? '4:2:0');
  const hmax = subsampling === '4:4:4' ? 1 : 2;
  const vmax = subsampling === '4:2:0' ? 2 : 1;
  const mcusX = ceil(width / (8 * hmax));
  const mcusY = ceil(height / (8 * vmax));
  const quant = [scaledTable(LUMA_QUANT, quality), scaledTable(CHROMA_QUANT, quality)];

  // Colour planes at full resolution.
  const planes = [new Float32Array(width * height)];
  if (!grayscale) planes.push(new Float32Array(width * height), new Float32Array(width * height));
  for (let i = 0; i < width * height; i++) {
    const r = data[i * 4] ?? 0;
    const g = data[i * 4 + 1] ?? 0;
    const b = data[i * 4 + 2] ?? 0;
    (planes[0] as Float32Array)[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    if (!grayscale) {
      (planes[1] as Float32Array)[i] = -0.168736 * r - 0.331264 * g + 0.5 * b + 128;
      (planes[2] as Float32Array)[i] = 0.5 * r - 0.418688 * g - 0.081312 * b + 128;
    }
  }

  const components: Component[] = planes.map((_, index) => {
    const h = index === 0 ? hmax : 1;
    const v = index === 0 ? vmax : 1;
    const blocksW = mcusX * h;
    const blocksH = mcusY * v;
    return {
      id: index + 1,
      h,
      v,
      table: index === 0 ? 0 : 1,
      usedW: ceil(ceil((width * h) / hmax) / 8),
      usedH: ceil(ceil((height * v) / vmax) / 8),
      blocksW,
      blocksH,
      coefficients: new Int32Array(blocksW * blocksH * 64),
    };
  });

  // Forward DCT and quantisation of every block (chroma averaged over its sampling area).
  const block = new Float64Array(64);
  const temp = new Float64Array(64);
  components.forEach((c, index) => {
    const plane = planes[index] as Float32Array;
    const sx = hmax / c.h;
    const sy = vmax / c.v;
    const table = quant[c.table] as number[];
    for (let by = 0; by < c.blocksH; by++) {
      for (let bx = 0; bx < c.blocksW; bx++) {
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) {
            let sum = 0;
            for (let dy = 0; dy < sy; dy++) {
              for (let dx = 0; dx < sx; dx++) {
                const px = min(width - 1, (bx * 8 + x) * sx + dx);
                const py = min(height - 1, (by * 8 + y) * sy + dy);
                sum += plane[py * width + px] ?? 0;
              }
            }
            block[y * 8 + x] = sum / (sx * sy) - 128;
          }
        }
        for (let y = 0; y < 8; y++) {
          for (let u = 0; u < 8; u++) {
            let s = 0;
            for (let x = 0; x < 8; x++) s += (COS[u * 8 + x] ?? 0) * (block[y * 8 + x] ?? 0);
            temp[y * 8 + u] = s;
          }
        }
        const base = (by * c.blocksW + bx) * 64;
        for (let k = 0; k < 64; k++) {
          const natural = ZIGZAG[k] ?? 0;
          const v = natural >> 3;
          const u = natural & 7;
          let s = 0;
          for (let y = 0; y < 8; y++) s += (COS[v * 8 + y] ?? 0) * (temp[y * 8 + u] ?? 0);
          c.coefficients[base + k] = round(s / (table[natural] ?? 1));
        }
      }
    }
  });

  const out = new ByteWriter();
  out.push(0xff, 0xd8);
  out.segment(0xe0, [...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  if (options.orientation !== undefined) out.segment(0xe1, exifApp1(options.orientation));
  for (const [id, table] of quant.slice(0, grayscale ? 1 : 2).entries()) {
    out.segment(0xdb, [id, ...ZIGZAG.map((natural) => table[natural] ?? 1)]);
  }
  out.segment(options.progressive ? 0xc2 : 0xc0, [
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    components.length,
    ...components.flatMap((c) => [c.id, (c.h << 4) | c.v, c.table]),
  ]);
  const specs = [
    [DC_LUMA, AC_LUMA],
    [DC_CHROMA, AC_CHROMA],
  ] as const;
  for (const [id, [dc, ac]] of specs.slice(0, grayscale ? 1 : 2).entries()) {
    out.segment(0xc4, [id, ...dc.bits, ...dc.values]);
    out.segment(0xc4, [0x10 | id, ...ac.bits, ...ac.values]);
  }
  const restartInterval = options.restartInterval ?? 0;
  if (restartInterval > 0) out.segment(0xdd, [restartInterval >> 8, restartInterval & 0xff]);
  const codes = specs.map(([dc, ac]) => ({ dc: huffmanCodes(dc), ac: huffmanCodes(ac) }));

  /** One scan: `encodeBlock` writes one block's share of it. */
  const scan = (
    scanComponents: Component[],
    ss: number,
    se: number,
    ah: number,
    al: number,
    encodeBlock: (bits: BitWriter, c: Component, offset: number, pred: { value: number }) => void,
  ) => {
    out.segment(0xda, [
      scanComponents.length,
      ...scanComponents.flatMap((c) => [c.id, (c.table << 4) | c.table]),
      ss,
      se,
      (ah << 4) | al,
    ]);
    const bits = new BitWriter(out);
    const preds = scanComponents.map(() => ({ value: 0 }));
    const single = scanComponents.length === 1 ? scanComponents[0] : undefined;
    const total = single ? single.usedW * single.usedH : mcusX * mcusY;
    let restarts = 0;
    for (let n = 0; n < total; n++) {
      if (restartInterval > 0 && n > 0 && n % restartInterval === 0) {
        bits.flush();
        out.push(0xff, 0xd0 + (restarts++ % 8));
        for (const p of preds) p.value = 0;
      }
      if (single) {
        const row = floor(n / single.usedW);
        const col = n % single.usedW;
        encodeBlock(bits, single, (row * single.blocksW + col) * 64, preds[0] as { value: number });
      } else {
        const mcuRow = floor(n / mcusX);
        const mcuCol = n % mcusX;
        scanComponents.forEach((c, i) => {
          for (let v = 0; v < c.v; v++) {
            for (let h = 0; h < c.h; h++) {
              const offset = ((mcuRow * c.v + v) * c.blocksW + mcuCol * c.h + h) * 64;
              encodeBlock(bits, c, offset, preds[i] as { value: number });
            }
          }
        });
      }
    }
    bits.flush();
  };

  const encodeDc = (
    bits: BitWriter,
    c: Component,
    offset: number,
    pred: { value: number },
    al: number,
  ) => {
    const value = (c.coefficients[offset] ?? 0) >> al;
    const diff = value - pred.value;
    pred.value = value;
    const n = category(diff);
    const table = (codes[c.table] as { dc: HuffmanCodes }).dc;
    bits.write(table.code[n] ?? 0, table.length[n] ?? 0);
    if (n > 0) bits.write(magnitudeBits(diff, n), n);
  };
  const encodeAc = (bits: BitWriter, c: Component, offset: number, ss: number, se: number) => {
    const table = (codes[c.table] as { ac: HuffmanCodes }).ac;
    let run = 0;
    for (let k = ss; k <= se; k++) {
      const value = c.coefficients[offset + k] ?? 0;
      if (value === 0) {
        run++;
        continue;
      }
      while (run > 15) {
        bits.write(table.code[0xf0] ?? 0, table.length[0xf0] ?? 0);
        run -= 16;
      }
      const n = category(value);
      const symbol = (run << 4) | n;
      bits.write(table.code[symbol] ?? 0, table.length[symbol] ?? 0);
      bits.write(magnitudeBits(value, n), n);
      run = 0;
    }
    if (run > 0) bits.write(table.code[0] ?? 0, table.length[0] ?? 0); // EOB (a run of one block)
  };

  if (!options.progressive) {
    scan(components, 0, 63, 0, 0, (bits, c, offset, pred) => {
      encodeDc(bits, c, offset, pred, 0);
      encodeAc(bits, c, offset, 1, 63);
    });
  } else {
    scan(components, 0, 0, 0, 1, (bits, c, offset, pred) => encodeDc(bits, c, offset, pred, 1));
    for (const c of components) {
      scan([c], 1, 5, 0, 0, (bits, cc, offset) => encodeAc(bits, cc, offset, 1, 5));
      scan([c], 6, 63, 0, 0, (bits, cc, offset) => encodeAc(bits, cc, offset, 6, 63));
    }
    scan(components, 0, 0, 1, 0, (bits, c, offset) =>
      bits.write((c.coefficients[offset] ?? 0) & 1, 1),
    );
  }
  out.push(0xff, 0xd9);
  return out.result();
}
