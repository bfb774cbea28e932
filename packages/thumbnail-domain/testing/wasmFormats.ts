/**
 * Real WebP and AVIF files for tests, made and read by jsquash's own encoders and decoders
 * (independently of the pipeline's codec wrapper), and the orientation metadata those encoders do
 * not write: a WebP EXIF chunk, AVIF `irot`/`imir` properties.
 *
 * Under jest, import `./jsquashInJest` first (it says why).
 */
import { readFileSync } from 'node:fs';
import { exifApp1, type RgbaImage } from './jpegEncoder';

interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}
declare const WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule };

interface Jsquash<Args extends unknown[], Result> {
  init(module: WasmModule, moduleOptionOverrides: object): Promise<unknown>;
  default(...args: Args): Promise<Result>;
}
type Pixels = { data: Uint8ClampedArray; width: number; height: number };
type Decoder = Jsquash<[Uint8Array], Pixels | null>;
type Encoder = Jsquash<[Pixels, object], ArrayBuffer>;

const wasm = (specifier: string) =>
  new WebAssembly.Module(readFileSync(require.resolve(specifier)));

async function jsquash<T>(load: () => Promise<unknown>, wasmFile: string): Promise<T> {
  const module = (await load()) as Jsquash<unknown[], unknown>;
  // As src/wasmCodecs.ts does: no URL from `import.meta.url`, empty once bundled.
  await module.init(wasm(wasmFile), { locateFile: (file: string) => file });
  return module as T;
}

const pixels = (image: RgbaImage): Pixels => ({
  data: new Uint8ClampedArray(image.data),
  width: image.width,
  height: image.height,
});

const toImage = (decoded: Pixels | null): RgbaImage => {
  if (!decoded) throw new Error('jsquash decoded nothing');
  return { data: Buffer.from(decoded.data), width: decoded.width, height: decoded.height };
};

/** A lossy (or, with `{ lossless: 1 }`, lossless) WebP of an image, as jsquash writes it. */
export async function encodeWebp(image: RgbaImage, options: object = {}): Promise<Buffer> {
  const encoder = await jsquash<Encoder>(
    () => import('@jsquash/webp/encode.js'),
    '@jsquash/webp/codec/enc/webp_enc_simd.wasm',
  );
  return Buffer.from(await encoder.default(pixels(image), { quality: 90, ...options }));
}

/** An AVIF of an image, as jsquash writes it (speed 10 unless said: these are test images). */
export async function encodeAvif(image: RgbaImage, options: object = {}): Promise<Buffer> {
  const encoder = await jsquash<Encoder>(
    () => import('@jsquash/avif/encode.js'),
    '@jsquash/avif/codec/enc/avif_enc.wasm',
  );
  return Buffer.from(await encoder.default(pixels(image), { quality: 80, speed: 10, ...options }));
}

/** A WebP decoded to RGBA by jsquash. */
export async function decodeWebp(bytes: Uint8Array): Promise<RgbaImage> {
  const decoder = await jsquash<Decoder>(
    () => import('@jsquash/webp/decode.js'),
    '@jsquash/webp/codec/dec/webp_dec.wasm',
  );
  return toImage(await decoder.default(new Uint8Array(bytes)));
}

/** An AVIF decoded to 8-bit RGBA by jsquash. */
export async function decodeAvif(bytes: Uint8Array): Promise<RgbaImage> {
  const decoder = await jsquash<Decoder>(
    () => import('@jsquash/avif/decode.js'),
    '@jsquash/avif/codec/dec/avif_dec.wasm',
  );
  return toImage(await decoder.default(new Uint8Array(bytes)));
}

// ── WebP chunks ──────────────────────────────────────────────────────────────────────────────────

function riffChunks(webp: Buffer): { type: string; payload: Buffer }[] {
  const chunks: { type: string; payload: Buffer }[] = [];
  for (let pos = 12; pos + 8 <= webp.length; ) {
    const length = webp.readUInt32LE(pos + 4);
    chunks.push({
      type: webp.toString('latin1', pos, pos + 4),
      payload: webp.subarray(pos + 8, pos + 8 + length),
    });
    pos += 8 + length + (length & 1);
  }
  return chunks;
}

function riff(chunks: { type: string; payload: Buffer }[]): Buffer {
  const body = Buffer.concat(
    chunks.flatMap(({ type, payload }) => {
      const head = Buffer.alloc(8);
      head.write(type, 0, 'latin1');
      head.writeUInt32LE(payload.length, 4);
      return [head, payload, Buffer.alloc(payload.length & 1)];
    }),
  );
  const head = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  return Buffer.concat([head, body]);
}

/**
 * A WebP with an EXIF chunk giving `orientation`, in the extended format (VP8X, EXIF flag set)
 * that carries it. `prefixed` keeps JPEG's `Exif\0\0` before the TIFF data, as some writers do.
 */
export function withWebpExif(
  webp: Buffer,
  size: { width: number; height: number },
  orientation: number,
  prefixed = false,
): Buffer {
  const chunks = riffChunks(webp);
  const vp8x = chunks.find((chunk) => chunk.type === 'VP8X')?.payload ?? Buffer.alloc(10);
  const extended = Buffer.from(vp8x);
  extended[0] = (extended[0] ?? 0) | 0x08;
  extended.writeUIntLE(size.width - 1, 4, 3);
  extended.writeUIntLE(size.height - 1, 7, 3);
  const exif = Buffer.from(exifApp1(orientation));
  return riff([
    { type: 'VP8X', payload: extended },
    ...chunks.filter((chunk) => chunk.type !== 'VP8X'),
    { type: 'EXIF', payload: prefixed ? exif : exif.subarray(6) },
  ]);
}

// ── AVIF boxes ───────────────────────────────────────────────────────────────────────────────────

interface Box {
  type: string;
  start: number;
  end: number;
}

function boxesIn(bytes: Buffer, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  for (let pos = from; pos + 8 <= to; ) {
    const size = bytes.readUInt32BE(pos);
    boxes.push({ type: bytes.toString('latin1', pos + 4, pos + 8), start: pos, end: pos + size });
    pos += size;
  }
  return boxes;
}

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

const child = (boxes: Box[], type: string): Box => {
  const found = boxes.find((b) => b.type === type);
  if (!found) throw new Error(`no ${type} box`);
  return found;
};

/**
 * An AVIF whose primary image carries an `irot` (quarter turns anti-clockwise) and/or an `imir`
 * (0: mirrored left to right, 1: top to bottom) property, marked essential, the way a camera or
 * converter records orientation in a HEIF. The media offsets in `iloc` are moved along.
 */
export function withAvifTransform(
  avif: Buffer,
  transform: { quarterTurns?: number; mirrorAxis?: 0 | 1 },
): Buffer {
  const top = boxesIn(avif, 0, avif.length);
  const meta = child(top, 'meta');
  const metaChildren = boxesIn(avif, meta.start + 12, meta.end);
  const primary = avif.readUInt16BE(child(metaChildren, 'pitm').start + 12);
  const iprp = child(metaChildren, 'iprp');
  const iprpChildren = boxesIn(avif, iprp.start + 8, iprp.end);
  const ipco = child(iprpChildren, 'ipco');
  const ipma = child(iprpChildren, 'ipma');

  const added: Buffer[] = [];
  if (transform.quarterTurns !== undefined)
    added.push(box('irot', Buffer.from([transform.quarterTurns & 3])));
  if (transform.mirrorAxis !== undefined)
    added.push(box('imir', Buffer.from([transform.mirrorAxis])));
  const firstIndex = boxesIn(avif, ipco.start + 8, ipco.end).length + 1;
  const newIpco = box('ipco', avif.subarray(ipco.start + 8, ipco.end), ...added);

  // ipma: version/flags, entry count, then per item its id and property associations.
  const version = avif[ipma.start + 8] ?? 0;
  const wide = ((avif[ipma.start + 11] ?? 0) & 1) === 1;
  const entries: Buffer[] = [];
  let pos = ipma.start + 16;
  const count = avif.readUInt32BE(ipma.start + 12);
  for (let i = 0; i < count; i++) {
    const idBytes = version < 1 ? 2 : 4;
    const itemId = version < 1 ? avif.readUInt16BE(pos) : avif.readUInt32BE(pos);
    const associations = avif[pos + idBytes] ?? 0;
    const length = idBytes + 1 + associations * (wide ? 2 : 1);
    const entry = Buffer.from(avif.subarray(pos, pos + length));
    pos += length;
    if (itemId !== primary) {
      entries.push(entry);
      continue;
    }
    const extra = added.map((_, index) => {
      const association = Buffer.alloc(wide ? 2 : 1);
      if (wide) association.writeUInt16BE(0x8000 | (firstIndex + index));
      else association[0] = 0x80 | (firstIndex + index);
      return association;
    });
    entry[idBytes] = associations + added.length;
    entries.push(entry, ...extra);
  }
  const newIpma = box('ipma', avif.subarray(ipma.start + 8, ipma.start + 16), ...entries);

  const rebuild = (boxes: Box[], replace: Record<string, Buffer>) =>
    boxes.map((b) => replace[b.type] ?? avif.subarray(b.start, b.end));
  const newIprp = box('iprp', ...rebuild(iprpChildren, { ipco: newIpco, ipma: newIpma }));
  const newMeta = box(
    'meta',
    avif.subarray(meta.start + 8, meta.start + 12),
    ...rebuild(metaChildren, { iprp: newIprp }),
  );
  shiftIlocOffsets(newMeta, meta.end, newMeta.length - (meta.end - meta.start));
  return Buffer.concat(rebuild(top, { meta: newMeta }));
}

/** Moves every `iloc` offset at or past `from` (the media after `meta`) by `delta` bytes. */
function shiftIlocOffsets(meta: Buffer, from: number, delta: number): void {
  const iloc = child(boxesIn(meta, 12, meta.length), 'iloc');
  const version = meta[iloc.start + 8] ?? 0;
  const sizes = meta[iloc.start + 12] ?? 0;
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 15;
  const baseSize = (meta[iloc.start + 13] ?? 0) >> 4;
  const indexSize = version > 0 ? (meta[iloc.start + 13] ?? 0) & 15 : 0;
  let pos = iloc.start + 14;
  const count = version < 2 ? meta.readUInt16BE(pos) : meta.readUInt32BE(pos);
  pos += version < 2 ? 2 : 4;
  const shift = (at: number, size: number) => {
    if (size === 0) return;
    const value = meta.readUIntBE(at, size);
    if (value >= from) meta.writeUIntBE(value + delta, at, size);
  };
  for (let i = 0; i < count; i++) {
    pos += version < 2 ? 2 : 4; // item id
    if (version > 0) pos += 2; // construction method
    pos += 2; // data reference index
    const base = pos;
    pos += baseSize;
    const extents = meta.readUInt16BE(pos);
    pos += 2;
    if (baseSize > 0 && meta.readUIntBE(base, baseSize) > 0) shift(base, baseSize);
    for (let e = 0; e < extents; e++) {
      pos += indexSize;
      if (baseSize === 0 || meta.readUIntBE(base, baseSize) === 0) shift(pos, offsetSize);
      pos += offsetSize + lengthSize;
    }
  }
}
