/**
 * The AC scans of a progressive JPEG (ITU T.81 G.1.2.2 and G.1.2.3, as libjpeg's jdphuff.c reads
 * them), decoded for a reduced-scale decode: every coefficient must still be entropy-decoded to
 * find the next one, but only each block's lowest N×N are kept, with one bit per coefficient
 * saying whether it is non-zero yet — a refinement scan reads a correction bit for each non-zero
 * coefficient of its band, so that history is what parsing it needs, kept or not.
 */
import { type BitReader, corrupt, type HuffmanTable } from './jpegHuffman';

// Module-scope aliases: under jest's VM, every `Math.x` in a hot loop is a slow global lookup.
const { imul, max, min } = Math;

/** One component's reduced coefficient storage, which the scan decodes into. */
export interface ReducedCoefficients {
  /** Blocks per line of the MCU-padded grid: the storage's stride. */
  blocksW: number;
  /** Blocks that hold image data: the grid of a non-interleaved scan, which AC scans are. */
  usedW: number;
  usedH: number;
  /** Each block's lowest N×N coefficients, quantised, row-major; slot 0 (the DC) unused. */
  low: Int16Array;
  /** Two words a block: bit k is set once AC coefficient k (zig-zag order) is non-zero. */
  nonzero: Int32Array;
}

/** The spectral band and successive-approximation bits of one AC scan (its SOS header). */
export interface AcScan {
  ss: number;
  se: number;
  ah: number;
  al: number;
}

/** Where coefficients are kept: the N×N slot of each zig-zag position, or -1. */
export interface LowSlots {
  /** Zig-zag position → slot in the N×N block, -1 when outside. */
  slots: Int8Array;
  /** The last zig-zag position with a slot: past it, coefficients are only skipped. */
  last: number;
  /** N×N: slots a block. */
  size: number;
}

/**
 * Decodes one progressive AC scan — first (`ah` 0) or refinement — into `target`, restart markers
 * and end-of-band runs included. A scan whose data stops early (a lost restart marker, the end of
 * the file) leaves the rest of its band as it was, as tolerant decoders do.
 *
 * @throws ImageRejectedError `corrupt` for a band no JPEG may have, or a bad Huffman code.
 */
export function decodeProgressiveAcScan(
  reader: BitReader,
  target: ReducedCoefficients,
  table: HuffmanTable | undefined,
  scan: AcScan,
  slots: LowSlots,
  restartInterval: number,
): void {
  const { ss, se, ah, al } = scan;
  if (ss > se || se > 63 || al > 13 || (ah !== 0 && ah !== al + 1)) {
    throw corrupt(`bad progressive JPEG scan: band ${ss}–${se}, bits ${ah}/${al}`);
  }
  if (!table) throw corrupt('JPEG scan without its AC Huffman table');
  if (ah === 0) decodeFirst(reader, target, table, scan, slots, restartInterval);
  else decodeRefinement(reader, target, table, scan, slots, restartInterval);
}

/** A first AC scan: each coefficient's value above bit `al`, once. */
function decodeFirst(
  reader: BitReader,
  target: ReducedCoefficients,
  table: HuffmanTable,
  { ss, se, al }: AcScan,
  { slots, last, size: blockSize }: LowSlots,
  restartInterval: number,
): void {
  // Plain locals: property lookups per coefficient cost more than the decoding.
  const { low, nonzero, blocksW, usedW } = target;
  const total = usedW * target.usedH;
  const scale = 1 << al;
  // Only a scan that leaves low bits out is refined later, so only then is the history needed.
  const track = al > 0;
  let eobrun = 0;
  let row = 0;
  let column = -1;
  for (let m = 0; m < total; m++) {
    if (++column === usedW) {
      column = 0;
      row++;
    }
    if (restartInterval > 0 && m > 0 && m % restartInterval === 0) {
      if (!reader.restart()) return;
      eobrun = 0;
    }
    if (eobrun > 0) {
      eobrun--;
      continue;
    }
    const block = row * blocksW + column;
    const lowBase = block * blockSize;
    const maskBase = block * 2;
    for (let k = ss; k <= se; ) {
      let rs: number;
      let kept = false;
      if (k > last) {
        // Past the kept slots: code and magnitude bits go in one lookup when they fit.
        rs = reader.skipCoefficient(table);
        if (rs < 0) {
          rs = reader.decode(table);
          reader.skipBits(rs & 15);
        }
      } else {
        rs = reader.decode(table);
        kept = true;
      }
      const size = rs & 15;
      const run = rs >> 4;
      if (size === 0) {
        if (run < 15) {
          // EOBn: this block's band ends here, and so does the next 2^n − 1 + (n bits) blocks'.
          eobrun = (1 << run) - 1 + (run > 0 ? reader.getBits(run) : 0);
          break;
        }
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) break; // corrupt data: nowhere to put it
      if (track) {
        const word = maskBase + (k >> 5);
        nonzero[word] = (nonzero[word] as number) | (1 << (k & 31));
      }
      if (kept) {
        const slot = slots[k] as number;
        if (slot >= 0) low[lowBase + slot] = reader.receiveExtend(size) * scale;
        else reader.skipBits(size);
      }
      k++;
    }
  }
}

/**
 * A refinement AC scan: one more bit of every coefficient already non-zero (a correction bit each)
 * and the coefficients that become non-zero at this bit (±1 × 2^al, with a run of still-zero ones
 * before each), as G.1.2.3 and libjpeg's decode_mcu_AC_refine have it.
 */
function decodeRefinement(
  reader: BitReader,
  target: ReducedCoefficients,
  table: HuffmanTable,
  { ss, se, al }: AcScan,
  { slots, last, size }: LowSlots,
  restartInterval: number,
): void {
  const { low, nonzero, blocksW, usedW } = target;
  const total = usedW * target.usedH;
  const p1 = 1 << al;
  let eobrun = 0;
  let row = 0;
  let column = -1;

  for (let m = 0; m < total; m++) {
    if (++column === usedW) {
      column = 0;
      row++;
    }
    if (restartInterval > 0 && m > 0 && m % restartInterval === 0) {
      if (!reader.restart()) return;
      eobrun = 0;
    }
    const block = row * blocksW + column;
    const lowBase = block * size;
    const maskBase = block * 2;
    let k = ss;
    if (eobrun === 0) {
      for (; k <= se; k++) {
        const rs = reader.decode(table);
        let run = rs >> 4;
        let value = 0;
        if ((rs & 15) !== 0) {
          // The size is always 1 here (libjpeg only warns otherwise): one sign bit.
          value = reader.getBits(1) !== 0 ? p1 : -p1;
        } else if (run !== 15) {
          eobrun = (1 << run) + (run > 0 ? reader.getBits(run) : 0);
          break;
        }
        // Refine the non-zero coefficients on the way; stop at the (run + 1)th zero one.
        for (; k <= se; k++) {
          if (((nonzero[maskBase + (k >> 5)] as number) & (1 << (k & 31))) !== 0) {
            // A correction bit; the coefficients not kept have theirs read and dropped.
            const slot = slots[k] as number;
            if (reader.getBits(1) !== 0 && slot >= 0) addBit(low, lowBase + slot, p1);
          } else {
            if (run === 0) break;
            run--;
          }
        }
        if (value !== 0 && k <= 63) {
          const word = maskBase + (k >> 5);
          nonzero[word] = (nonzero[word] as number) | (1 << (k & 31));
          const slot = slots[k] as number;
          if (slot >= 0) low[lowBase + slot] = value;
        }
      }
    }
    if (eobrun > 0) {
      // In an end-of-band run only the correction bits of the non-zero coefficients remain: the
      // kept ones' read one by one, then all the others' (which follow them) skipped by count.
      for (const keptEnd = min(se, last); k <= keptEnd; k++) {
        if (((nonzero[maskBase + (k >> 5)] as number) & (1 << (k & 31))) === 0) continue;
        const slot = slots[k] as number;
        if (reader.getBits(1) !== 0 && slot >= 0) addBit(low, lowBase + slot, p1);
      }
      if (k <= se) {
        let skip = countSet(nonzero[maskBase] as number, nonzero[maskBase + 1] as number, k, se);
        for (; skip > 24; skip -= 24) reader.skipBits(24);
        reader.skipBits(skip);
      }
      eobrun--;
    }
  }
}

/**
 * A correction bit of 1: the coefficient gains bit `p1` of its magnitude, away from zero.
 * (A plain function, not a closure: optimised code bound to one closure deoptimises on the next
 * scan's.)
 */
function addBit(low: Int16Array, index: number, p1: number): void {
  const value = low[index] as number;
  if ((value & p1) === 0) low[index] = value >= 0 ? value + p1 : value - p1;
}

/** How many of bits `from`…`to` (0 ≤ from ≤ to ≤ 63) of a block's two non-zero words are set. */
function countSet(low: number, high: number, from: number, to: number): number {
  let count = 0;
  if (from < 32) count += popcount(low & rangeMask(from, min(to, 31)));
  if (to >= 32) count += popcount(high & rangeMask(max(from - 32, 0), to - 32));
  return count;
}

/** Bits `from`…`to` of a 32-bit word. */
const rangeMask = (from: number, to: number) => (-1 >>> (31 - to)) & (-1 << from);

function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
