import { ImageRejectedError } from './errors';

/** One marker segment of a JPEG: its marker byte and where its payload lies. */
export interface JpegSegment {
  /** The byte after 0xFF, e.g. 0xC0 for SOF0, 0xDA for SOS. */
  marker: number;
  /** Payload (after the two length bytes): `bytes.subarray(start, end)`. */
  start: number;
  end: number;
}

export const JPEG_MARKER = {
  SOI: 0xd8,
  EOI: 0xd9,
  SOS: 0xda,
  DHT: 0xc4,
  DQT: 0xdb,
  DRI: 0xdd,
  APP1: 0xe1,
} as const;

/** SOF0–SOF15, without DHT (C4), JPG (C8) and DAC (CC), which share the range. */
export const isSofMarker = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

export const isRestartMarker = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

const truncated = (message: string) => new ImageRejectedError('truncated', message);

/**
 * Skips entropy-coded data from `from`: the offset of the next marker that ends the scan — not a
 * restart marker (RSTn), a stuffed 0xFF00 or a fill byte — or -1 when the data runs out first.
 */
export function skipEntropyCodedData(bytes: Uint8Array, from: number): number {
  let pos = from;
  for (;;) {
    pos = bytes.indexOf(0xff, pos);
    if (pos < 0 || pos + 1 >= bytes.length) return -1;
    const next = bytes[pos + 1] ?? 0;
    if (next === 0x00 || next === 0xff || isRestartMarker(next)) {
      pos += next === 0xff ? 1 : 2;
      continue;
    }
    return pos;
  }
}

/**
 * Walks a JPEG's marker segments after SOI, in order, up to EOI (not yielded). After each SOS
 * segment it skips the scan's entropy-coded data, restart markers included, so the next segment
 * yielded is the one after the scan. The probe walks every segment to check the structure; the
 * decoder stops as soon as it has what it needs, so a file cut after that point still decodes.
 *
 * @throws ImageRejectedError `truncated` when the file ends before EOI, `corrupt` when a marker
 *   or a segment length is not where one must be.
 */
export function* jpegSegments(bytes: Uint8Array): Generator<JpegSegment, void, undefined> {
  let pos = 2;
  for (;;) {
    if (pos >= bytes.length) throw truncated('the JPEG ends before its EOI marker');
    if (bytes[pos] !== 0xff) {
      throw new ImageRejectedError('corrupt', `no JPEG marker at offset ${pos}`);
    }
    // Any number of 0xFF fill bytes may precede a marker.
    while (bytes[pos] === 0xff) pos++;
    if (pos >= bytes.length) throw truncated('the JPEG ends before its EOI marker');
    const marker = bytes[pos] ?? 0;
    pos++;
    if (marker === JPEG_MARKER.EOI) return;
    // Standalone markers: no length, no payload.
    if (marker === JPEG_MARKER.SOI || isRestartMarker(marker) || marker === 0x01) continue;
    if (pos + 2 > bytes.length) throw truncated('the JPEG ends inside a marker');
    const length = ((bytes[pos] ?? 0) << 8) | (bytes[pos + 1] ?? 0);
    if (length < 2) {
      throw new ImageRejectedError('corrupt', `bad JPEG segment length at offset ${pos}`);
    }
    const end = pos + length;
    if (end > bytes.length) throw truncated('the JPEG ends inside a segment');
    yield { marker, start: pos + 2, end };
    pos = end;
    if (marker === JPEG_MARKER.SOS) {
      pos = skipEntropyCodedData(bytes, pos);
      if (pos < 0) throw truncated('the JPEG ends inside its image data');
    }
  }
}
