/**
 * The Huffman decoding shared by the reduced-scale JPEG decoders (scaledJpegDecoder.ts for
 * baseline files and DC scans, progressiveJpeg.ts for progressive AC scans): tables with a 9-bit
 * lookahead and a bit reader over one scan's entropy-coded data.
 */
import { ImageRejectedError } from './errors';

export interface HuffmanTable {
  /** 9-bit lookahead: (code length << 8) | symbol, 0 when the code is longer than 9 bits. */
  lut: Uint16Array;
  /**
   * 9-bit lookahead for skipping an AC coefficient whole: ((code length + magnitude bits) << 8)
   * | symbol, 0 when the two do not fit in 9 bits.
   */
  skip: Uint16Array;
  maxcode: Int32Array;
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

const LOOKAHEAD = 9;

export const corrupt = (message: string) => new ImageRejectedError('corrupt', message);

export function buildHuffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const lut = new Uint16Array(1 << LOOKAHEAD);
  const skip = new Uint16Array(1 << LOOKAHEAD);
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
        const symbol = values[k] ?? 0;
        const entry = (length << 8) | symbol;
        const skipLength = length + (symbol & 15);
        const skipEntry = skipLength <= LOOKAHEAD ? (skipLength << 8) | symbol : 0;
        for (let j = 0; j < 1 << shift; j++) {
          lut[first + j] = entry;
          skip[first + j] = skipEntry;
        }
      }
      code++;
      k++;
    }
    if (n > 0) maxcode[length] = code - 1;
    if (code > 1 << length) throw corrupt('bad Huffman table');
    code <<= 1;
  }
  maxcode[17] = 0x7fffffff;
  return { lut, skip, maxcode, valptr, mincode, values };
}

/** Reads the entropy-coded bits of one scan; after a marker it yields zeros, as libjpeg does. */
export class BitReader {
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

  /**
   * Skips one AC coefficient (its code and magnitude bits) in one lookup when both fit the
   * lookahead; returns its run/size symbol, or -1 when it must be decoded the slow way.
   */
  skipCoefficient(table: HuffmanTable): number {
    if (this.count < 16) this.fill();
    const entry =
      table.skip[(this.bits >>> (this.count - LOOKAHEAD)) & ((1 << LOOKAHEAD) - 1)] ?? 0;
    if (entry === 0) return -1;
    this.count -= entry >> 8;
    return entry & 0xff;
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
