/**
 * Rewrites a baseline JPEG (from `encodeJpeg`, any subsampling, greyscale, restart markers) as a
 * progressive one with the same quantised coefficients, the way libjpeg's jcphuff.c writes one:
 * DC in two steps, AC bands by spectral selection and successive approximation, end-of-band runs
 * (with their buffered correction bits), an optimal Huffman table per scan (ITU T.81 K.2) and
 * optional restart markers. The fixture encoder in `testing/` writes neither end-of-band runs nor
 * AC refinement scans, which every real progressive photo has.
 *
 * Same coefficients means a correct decoder gives the same pixels for both files: jpeg-js checks
 * this helper, and the baseline twin checks the reduced decoder.
 */

// Module-scope aliases: under jest's VM, every `Math.x` in a hot loop is a slow global lookup.
const { abs, ceil, clz32, floor, max } = Math;

/** One scan of a progressive script: components (by index in the frame), band and bits. */
export interface ProgressiveScan {
  components: number[];
  ss: number;
  se: number;
  ah: number;
  al: number;
}

/** libjpeg's `jpeg_simple_progression` for YCbCr (and its greyscale variant). */
export function libjpegScript(componentCount: number): ProgressiveScan[] {
  const scan = (components: number[], ss: number, se: number, ah: number, al: number) => ({
    components,
    ss,
    se,
    ah,
    al,
  });
  if (componentCount === 1) {
    return [
      scan([0], 0, 0, 0, 1),
      scan([0], 1, 5, 0, 2),
      scan([0], 6, 63, 0, 2),
      scan([0], 1, 63, 2, 1),
      scan([0], 0, 0, 1, 0),
      scan([0], 1, 63, 1, 0),
    ];
  }
  return [
    scan([0, 1, 2], 0, 0, 0, 1),
    scan([0], 1, 5, 0, 2),
    scan([2], 1, 63, 0, 1),
    scan([1], 1, 63, 0, 1),
    scan([0], 6, 63, 0, 2),
    scan([0], 1, 63, 2, 1),
    scan([0, 1, 2], 0, 0, 1, 0),
    scan([2], 1, 63, 1, 0),
    scan([1], 1, 63, 1, 0),
    scan([0], 1, 63, 1, 0),
  ];
}

/**
 * A mozjpeg-like script: the DC whole, each component's AC in a low and a high band without
 * successive approximation (the high bands lie wholly past what a 1/4 or 1/2 decode keeps).
 */
export function spectralOnlyScript(componentCount: number): ProgressiveScan[] {
  const all = Array.from({ length: componentCount }, (_, i) => i);
  return [
    { components: all, ss: 0, se: 0, ah: 0, al: 0 },
    ...all.flatMap((c) => [
      { components: [c], ss: 1, se: 2, ah: 0, al: 0 },
      { components: [c], ss: 3, se: 63, ah: 0, al: 0 },
    ]),
  ];
}

interface Component {
  id: number;
  h: number;
  v: number;
  blocksW: number;
  blocksH: number;
  usedW: number;
  usedH: number;
  /** 64 a block, zig-zag order. */
  coefficients: Int32Array;
}

interface Frame {
  width: number;
  height: number;
  components: Component[];
  mcusX: number;
  mcusY: number;
}

/** Rewrites a baseline JPEG as a progressive one (see the module comment). */
export function toProgressive(
  baseline: Uint8Array,
  options: { restartInterval?: number; script?: ProgressiveScan[] } = {},
): Buffer {
  const { frame, headers } = readBaseline(baseline);
  const restartInterval = options.restartInterval ?? 0;
  const script = options.script ?? libjpegScript(frame.components.length);
  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, payload: number[]) => {
    out.push(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload);
  };
  for (const h of headers) segment(h.marker === 0xc0 ? 0xc2 : h.marker, h.payload);
  if (restartInterval > 0) segment(0xdd, [restartInterval >> 8, restartInterval & 0xff]);
  for (const scan of script) {
    // Two passes, as libjpeg's optimize_coding: count the symbols, then write with their table
    // (a DC refinement has no symbols, only bits, and no table).
    const counts = new Array<number>(256).fill(0);
    encodeScan(frame, scan, restartInterval, {
      symbol: (s) => {
        counts[s] = (counts[s] ?? 0) + 1;
      },
      bits: () => {},
      restart: () => {},
    });
    const isDc = scan.ss === 0;
    const table = isDc && scan.ah > 0 ? undefined : optimalTable(counts);
    if (table) segment(0xc4, [isDc ? 0x00 : 0x10, ...table.bits, ...table.values]);
    segment(0xda, [
      scan.components.length,
      ...scan.components.flatMap((i) => [frame.components[i]?.id ?? 0, 0x00]),
      scan.ss,
      scan.se,
      (scan.ah << 4) | scan.al,
    ]);
    const writer = new BitWriter(out);
    let restarts = 0;
    encodeScan(frame, scan, restartInterval, {
      symbol: (s) => writer.write(table?.code[s] ?? 0, table?.length[s] ?? 0),
      bits: (value, n) => writer.write(value, n),
      restart: () => {
        writer.flush();
        out.push(0xff, 0xd0 + (restarts++ % 8));
      },
    });
    writer.flush();
  }
  out.push(0xff, 0xd9);
  return Buffer.from(out);
}

interface Emitter {
  symbol(s: number): void;
  bits(value: number, n: number): void;
  restart(): void;
}

const bitLength = (value: number) => (value === 0 ? 0 : 32 - clz32(value));

/** One scan's entropy-coded data, as jcphuff.c's encode_mcu_DC_first/refine, AC_first/refine. */
function encodeScan(
  frame: Frame,
  { components, ss, se, ah, al }: ProgressiveScan,
  restartInterval: number,
  emit: Emitter,
): void {
  const preds = components.map(() => 0);
  let eobrun = 0;
  let pendingBits: number[] = []; // correction bits buffered over an end-of-band run
  const flushEobrun = () => {
    if (eobrun > 0) {
      const n = bitLength(eobrun) - 1;
      emit.symbol(n << 4);
      if (n > 0) emit.bits(eobrun, n);
      eobrun = 0;
    }
    for (const bit of pendingBits) emit.bits(bit, 1);
    pendingBits = [];
  };

  const encodeBlock = (c: Component, ci: number, block: number) => {
    const coef = c.coefficients.subarray(block * 64, block * 64 + 64);
    if (ss === 0) {
      if (ah > 0) {
        emit.bits(((coef[0] ?? 0) >> al) & 1, 1);
        return;
      }
      const value = (coef[0] ?? 0) >> al;
      const diff = value - (preds[ci] ?? 0);
      preds[ci] = value;
      const n = bitLength(abs(diff));
      emit.symbol(n);
      if (n > 0) emit.bits(diff < 0 ? diff + (1 << n) - 1 : diff, n);
      return;
    }
    if (ah === 0) {
      let run = 0;
      for (let k = ss; k <= se; k++) {
        const raw = coef[k] ?? 0;
        const magnitude = abs(raw) >> al;
        if (magnitude === 0) {
          run++;
          continue;
        }
        flushEobrun();
        for (; run > 15; run -= 16) emit.symbol(0xf0);
        const n = bitLength(magnitude);
        emit.symbol((run << 4) | n);
        emit.bits(raw < 0 ? ~magnitude & ((1 << n) - 1) : magnitude, n);
        run = 0;
      }
      if (run > 0) {
        eobrun++;
        if (eobrun === 0x7fff) flushEobrun();
      }
      return;
    }
    // Refinement: the last coefficient that becomes non-zero at this bit bounds the ZRLs.
    let last = 0;
    for (let k = ss; k <= se; k++) if (abs(coef[k] ?? 0) >> al === 1) last = k;
    let run = 0;
    let blockBits: number[] = [];
    for (let k = ss; k <= se; k++) {
      const magnitude = abs(coef[k] ?? 0) >> al;
      if (magnitude === 0) {
        run++;
        continue;
      }
      for (; run > 15 && k <= last; run -= 16) {
        flushEobrun();
        emit.symbol(0xf0);
        for (const bit of blockBits) emit.bits(bit, 1);
        blockBits = [];
      }
      if (magnitude > 1) {
        blockBits.push(magnitude & 1); // already non-zero: a correction bit
        continue;
      }
      flushEobrun();
      emit.symbol((run << 4) | 1);
      emit.bits((coef[k] ?? 0) < 0 ? 0 : 1, 1);
      for (const bit of blockBits) emit.bits(bit, 1);
      blockBits = [];
      run = 0;
    }
    if (run > 0 || blockBits.length > 0) {
      eobrun++;
      pendingBits.push(...blockBits);
      if (eobrun === 0x7fff || pendingBits.length > 1000 - 63) flushEobrun();
    }
  };

  const single = components.length === 1 ? frame.components[components[0] ?? 0] : undefined;
  const total = single ? single.usedW * single.usedH : frame.mcusX * frame.mcusY;
  for (let m = 0; m < total; m++) {
    if (restartInterval > 0 && m > 0 && m % restartInterval === 0) {
      flushEobrun();
      emit.restart();
      preds.fill(0);
    }
    if (single) {
      const row = floor(m / single.usedW);
      encodeBlock(single, 0, row * single.blocksW + (m % single.usedW));
      continue;
    }
    const mcuRow = floor(m / frame.mcusX);
    const mcuCol = m % frame.mcusX;
    components.forEach((index, ci) => {
      const c = frame.components[index] as Component;
      for (let v = 0; v < c.v; v++) {
        for (let h = 0; h < c.h; h++) {
          encodeBlock(c, ci, (mcuRow * c.v + v) * c.blocksW + mcuCol * c.h + h);
        }
      }
    });
  }
  flushEobrun();
}

/** Huffman code lengths from symbol counts, limited to 16 bits (ITU T.81 K.2, figures K.1–K.3). */
function optimalTable(counts: number[]) {
  const freq = [...counts, 1]; // symbol 256 reserves the all-ones code
  const codesize = new Array<number>(257).fill(0);
  const others = new Array<number>(257).fill(-1);
  for (;;) {
    let c1 = -1;
    let c2 = -1;
    for (let i = 0; i <= 256; i++) {
      const f = freq[i] ?? 0;
      if (f === 0) continue;
      if (c1 < 0 || f <= (freq[c1] ?? 0)) {
        c2 = c1;
        c1 = i;
      } else if (c2 < 0 || f <= (freq[c2] ?? 0)) {
        c2 = i;
      }
    }
    if (c2 < 0) break;
    freq[c1] = (freq[c1] ?? 0) + (freq[c2] ?? 0);
    freq[c2] = 0;
    for (let i = c1; ; i = others[i] ?? -1) {
      codesize[i] = (codesize[i] ?? 0) + 1;
      if ((others[i] ?? -1) < 0) {
        others[i] = c2;
        break;
      }
    }
    for (let i = c2; i >= 0; i = others[i] ?? -1) codesize[i] = (codesize[i] ?? 0) + 1;
  }
  const bits = new Array<number>(33).fill(0);
  for (const size of codesize) if (size > 0) bits[size] = (bits[size] ?? 0) + 1;
  for (let i = 32; i > 16; i--) {
    while ((bits[i] ?? 0) > 0) {
      let j = i - 2;
      while ((bits[j] ?? 0) === 0) j--;
      bits[i] = (bits[i] ?? 0) - 2;
      bits[i - 1] = (bits[i - 1] ?? 0) + 1;
      bits[j + 1] = (bits[j + 1] ?? 0) + 2;
      bits[j] = (bits[j] ?? 0) - 1;
    }
  }
  let longest = 16;
  while ((bits[longest] ?? 0) === 0) longest--;
  bits[longest] = (bits[longest] ?? 0) - 1; // drop the reserved code
  const values: number[] = [];
  for (let size = 1; size <= 32; size++) {
    for (let s = 0; s < 256; s++) if (codesize[s] === size) values.push(s);
  }
  const code = new Array<number>(256).fill(0);
  const length = new Array<number>(256).fill(0);
  let next = 0;
  let k = 0;
  for (let size = 1; size <= 16; size++) {
    for (let i = 0; i < (bits[size] ?? 0); i++) {
      const s = values[k++] ?? 0;
      code[s] = next++;
      length[s] = size;
    }
    next <<= 1;
  }
  return { bits: bits.slice(1, 17), values, code, length };
}

class BitWriter {
  private buffer = 0;
  private count = 0;
  constructor(private readonly out: number[]) {}
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.buffer = (this.buffer << 1) | ((value >> i) & 1);
      if (++this.count === 8) {
        this.out.push(this.buffer);
        if (this.buffer === 0xff) this.out.push(0);
        this.buffer = 0;
        this.count = 0;
      }
    }
  }
  /** Pads the last byte with 1 bits. */
  flush(): void {
    while (this.count !== 0) this.write(1, 1);
  }
}

/**
 * The segments to keep (everything before the scan but the Huffman tables and the restart
 * interval) and every block's coefficients, read bit by bit from the single baseline scan.
 */
function readBaseline(bytes: Uint8Array): {
  frame: Frame;
  headers: { marker: number; payload: number[] }[];
} {
  const headers: { marker: number; payload: number[] }[] = [];
  const tables = new Map<number, Map<number, number>>();
  let frame: Frame | undefined;
  let restartInterval = 0;
  let pos = 2;
  for (;;) {
    const marker = bytes[pos + 1] ?? 0;
    const length = ((bytes[pos + 2] ?? 0) << 8) | (bytes[pos + 3] ?? 0);
    const payload = [...bytes.subarray(pos + 4, pos + 2 + length)];
    pos += 2 + length;
    if (marker === 0xc4) {
      for (let p = 0; p < payload.length; ) {
        const counts = payload.slice(p + 1, p + 17);
        const total = counts.reduce((a, b) => a + b, 0);
        const codes = new Map<number, number>();
        let code = 0;
        let k = 0;
        counts.forEach((count, i) => {
          for (let j = 0; j < count; j++)
            codes.set(((i + 1) << 16) | code++, payload[p + 17 + k++] ?? 0);
          code <<= 1;
        });
        tables.set(payload[p] ?? 0, codes);
        p += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = ((payload[0] ?? 0) << 8) | (payload[1] ?? 0);
    } else if (marker === 0xc0) {
      frame = parseFrame(payload);
      headers.push({ marker, payload });
    } else if (marker === 0xda) {
      if (!frame) throw new Error('scan before frame');
      readScan(bytes, pos, frame, payload, tables, restartInterval);
      return { frame, headers };
    } else {
      headers.push({ marker, payload });
    }
  }
}

function parseFrame(p: number[]): Frame {
  const height = ((p[1] ?? 0) << 8) | (p[2] ?? 0);
  const width = ((p[3] ?? 0) << 8) | (p[4] ?? 0);
  const raw = Array.from({ length: p[5] ?? 0 }, (_, i) => ({
    id: p[6 + i * 3] ?? 0,
    h: (p[7 + i * 3] ?? 0) >> 4,
    v: (p[7 + i * 3] ?? 0) & 15,
  }));
  const hmax = max(...raw.map((c) => c.h));
  const vmax = max(...raw.map((c) => c.v));
  const mcusX = ceil(width / (8 * hmax));
  const mcusY = ceil(height / (8 * vmax));
  const components = raw.map((c) => ({
    ...c,
    blocksW: mcusX * c.h,
    blocksH: mcusY * c.v,
    usedW: ceil(ceil((width * c.h) / hmax) / 8),
    usedH: ceil(ceil((height * c.v) / vmax) / 8),
    coefficients: new Int32Array(mcusX * c.h * mcusY * c.v * 64),
  }));
  return { width, height, components, mcusX, mcusY };
}

function readScan(
  bytes: Uint8Array,
  start: number,
  frame: Frame,
  header: number[],
  tables: Map<number, Map<number, number>>,
  restartInterval: number,
): void {
  let pos = start;
  let bitBuffer = 0;
  let bitCount = 0;
  const bit = () => {
    if (bitCount === 0) {
      bitBuffer = bytes[pos++] ?? 0;
      if (bitBuffer === 0xff) pos++; // the stuffed zero
      bitCount = 8;
    }
    bitCount--;
    return (bitBuffer >> bitCount) & 1;
  };
  const receive = (n: number) => {
    let value = 0;
    for (let i = 0; i < n; i++) value = (value << 1) | bit();
    return value < 1 << (n - 1) ? value - (1 << n) + 1 : value;
  };
  const decode = (codes: Map<number, number>) => {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | bit();
      const symbol = codes.get((length << 16) | code);
      if (symbol !== undefined) return symbol;
    }
    throw new Error('bad Huffman code');
  };
  const scanComponents = Array.from({ length: header[0] ?? 0 }, (_, i) => {
    const id = header[1 + i * 2] ?? 0;
    const t = header[2 + i * 2] ?? 0;
    return {
      c: frame.components.find((c) => c.id === id) as Component,
      dc: tables.get(t >> 4) as Map<number, number>,
      ac: tables.get(0x10 | (t & 15)) as Map<number, number>,
      pred: 0,
    };
  });
  for (let m = 0; m < frame.mcusX * frame.mcusY; m++) {
    if (restartInterval > 0 && m > 0 && m % restartInterval === 0) {
      bitCount = 0;
      pos += 2; // RSTn
      for (const s of scanComponents) s.pred = 0;
    }
    const mcuRow = floor(m / frame.mcusX);
    const mcuCol = m % frame.mcusX;
    for (const s of scanComponents) {
      for (let v = 0; v < s.c.v; v++) {
        for (let h = 0; h < s.c.h; h++) {
          const base = ((mcuRow * s.c.v + v) * s.c.blocksW + mcuCol * s.c.h + h) * 64;
          const t = decode(s.dc);
          s.pred += t === 0 ? 0 : receive(t);
          s.c.coefficients[base] = s.pred;
          for (let k = 1; k < 64; ) {
            const rs = decode(s.ac);
            if ((rs & 15) === 0) {
              if (rs >> 4 < 15) break;
              k += 16;
              continue;
            }
            k += rs >> 4;
            s.c.coefficients[base + k] = receive(rs & 15);
            k++;
          }
        }
      }
    }
  }
}
