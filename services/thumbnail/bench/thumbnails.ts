/**
 * Thumbnail benchmark: our path (probe, reduced-scale JPEG decoding, slim jimp, lazily loaded
 * TIFF/BMP codecs, jsquash's WebAssembly WebP/AVIF codecs) against the naive one (full jimp: `Jimp.read` → `scaleToFit` → `getBuffer`)
 * and against sharp (libvips, one thread), per image class, each case in a fresh process for its
 * peak RSS; plus the PSNR of our and sharp's thumbnails against a full decode (the naive path),
 * and the bombs' refusal.
 *
 *   pnpm --filter @shop/thumbnail run bench                    # prints the table
 *   pnpm --filter @shop/thumbnail run bench -- --out=<file>    # and writes it to <file>
 *   pnpm --filter @shop/thumbnail run bench -- --write         # or into BENCHMARKS.md
 *   pnpm --filter @shop/thumbnail run bench -- --only=jpeg-1mp,tiff
 *
 * Fixtures are generated (deterministically) once into the OS temp folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeThumbnail } from '@shop/thumbnail-domain';
import {
  bilevelTiff,
  decodeAvif,
  decodeWebp,
  encodeBmp,
  encodeGif,
  encodeJpeg,
  encodePng,
  encodeTiff,
  photoLike,
  pixelBombPng,
  type RgbaImage,
  rleBmpBomb,
} from '@shop/thumbnail-domain/testing';
import { build } from 'esbuild';
import { Jimp } from 'jimp';
import sharp from 'sharp';

// The service's own plugin: the WebP and AVIF codecs' .wasm files beside libOurs's bundle.
const { codecWasmFiles } = require('../bundling/codecWasmFiles.cjs');

const serviceDir = resolve(__dirname, '..');
const repoRoot = resolve(serviceDir, '../..');
const cacheDir = join(tmpdir(), 'shop-thumbnail-bench-v3');
mkdirSync(cacheDir, { recursive: true });

interface ImageClass {
  id: string;
  label: string;
  file: string;
  runs: number;
  make: () => Buffer | Promise<Buffer>;
  /** Paths not run: the naive path on a bomb takes ~30 s and ~1.7 GB (issue 5). */
  skip?: ('naive' | 'sharp')[];
}

/** Every class is timed over at least this many runs (the median is reported). */
const RUNS = 7;

const jpegClass = (
  id: string,
  label: string,
  width: number,
  height: number,
  seed: number,
  options: Parameters<typeof encodeJpeg>[1] = {},
): ImageClass => ({
  id,
  label,
  file: `${id}.jpg`,
  runs: RUNS,
  make: () => encodeJpeg(photoLike(width, height, seed), { quality: 90, ...options }),
});

/**
 * A progressive JPEG as libjpeg writes one, through sharp: its standard scan script (DC in two
 * steps, AC bands by spectral selection and successive approximation, end-of-band runs), which is
 * what progressive photos from editors and the web carry. Same picture as the baseline row.
 */
const progressiveClass = (
  id: string,
  label: string,
  width: number,
  height: number,
  seed: number,
): ImageClass => ({
  id,
  label,
  file: `${id}-libjpeg.jpg`,
  runs: RUNS,
  make: () => {
    const image = photoLike(width, height, seed);
    return sharp(image.data, { raw: { width, height, channels: 4 } })
      .jpeg({ quality: 90, progressive: true })
      .toBuffer();
  },
});

const classes: ImageClass[] = [
  jpegClass('jpeg-1mp', 'JPEG 1152×864 (1 MP), baseline 4:2:0', 1152, 864, 1),
  progressiveClass('jpeg-1mp-progressive', 'JPEG 1152×864 (1 MP), progressive 4:2:0', 1152, 864, 1),
  jpegClass('jpeg-2.5mp', 'JPEG 1936×1296 (2.5 MP), baseline 4:2:0', 1936, 1296, 2),
  jpegClass('jpeg-2.5mp-444', 'JPEG 1936×1296 (2.5 MP), baseline 4:4:4', 1936, 1296, 2, {
    subsampling: '4:4:4',
  }),
  progressiveClass(
    'jpeg-2.5mp-progressive',
    'JPEG 1936×1296 (2.5 MP), progressive 4:2:0',
    1936,
    1296,
    2,
  ),
  jpegClass('jpeg-12mp', 'JPEG 4032×3024 (12 MP, a phone photo), baseline 4:2:0', 4032, 3024, 3),
  progressiveClass(
    'jpeg-12mp-progressive',
    'JPEG 4032×3024 (12 MP), progressive 4:2:0',
    4032,
    3024,
    3,
  ),
  jpegClass('jpeg-20mp', 'JPEG 5472×3648 (20 MP), baseline 4:2:0', 5472, 3648, 4),
  progressiveClass(
    'jpeg-20mp-progressive',
    'JPEG 5472×3648 (20 MP), progressive 4:2:0',
    5472,
    3648,
    4,
  ),
  jpegClass(
    'jpeg-20mp-exif6',
    'JPEG 5472×3648 (20 MP), baseline, EXIF orientation 6',
    5472,
    3648,
    4,
    {
      orientation: 6,
    },
  ),
  {
    id: 'png-9mp-alpha',
    label: 'PNG 3464×2598 (9 MP) RGBA',
    file: 'png-9mp-alpha.png',
    runs: 5,
    make: () => encodePng(withAlpha(photoLike(3464, 2598, 5))),
  },
  {
    id: 'png-40mp-alpha',
    label: 'PNG 7300×5475 (40 MP, at the pixel limit) RGBA',
    file: 'png-40mp-alpha.png',
    runs: 5,
    make: () => encodePng(withAlpha(photoLike(7300, 5475, 6))),
  },
  {
    id: 'gif',
    label: 'GIF 1000×750, 3 frames, 64 colours',
    file: 'gif-animated.gif',
    runs: RUNS,
    make: () => animatedGif(1000, 750),
  },
  {
    id: 'tiff',
    label: 'TIFF 1936×1296 (2.5 MP), uncompressed RGBA',
    file: 'tiff-2.5mp.tif',
    runs: RUNS,
    make: () => encodeTiff(photoLike(1936, 1296, 7)),
  },
  {
    id: 'bmp',
    label: 'BMP 1936×1296 (2.5 MP), 24-bit',
    file: 'bmp-2.5mp.bmp',
    runs: RUNS,
    make: () => encodeBmp(photoLike(1936, 1296, 8)),
  },
  {
    id: 'webp',
    label: 'WebP 1936×1296 (2.5 MP), lossy q90 (made by sharp)',
    file: 'webp-2.5mp.webp',
    runs: RUNS,
    make: () => sharpEncode(photoLike(1936, 1296, 9), 'webp'),
  },
  {
    id: 'avif',
    label: 'AVIF 1936×1296 (2.5 MP), q60 (made by sharp)',
    file: 'avif-2.5mp.avif',
    runs: RUNS,
    make: () => sharpEncode(photoLike(1936, 1296, 10), 'avif'),
  },
  {
    id: 'bomb',
    label: 'PNG bomb 20000×20000 (1-bit, 1 colour)',
    file: 'bomb.png',
    runs: RUNS,
    make: () => pixelBombPng(),
    skip: ['naive'],
  },
  {
    id: 'bomb-tiff',
    label: 'TIFF bomb 12000×12000 (1-bit, deflated)',
    file: 'bomb.tif',
    runs: RUNS,
    make: () => bilevelTiff([{ width: 12_000, height: 12_000 }]),
    skip: ['naive'],
  },
  {
    id: 'bomb-bmp',
    label: 'BMP bomb 20000×20000 (RLE8, one end-of-bitmap code)',
    file: 'bomb.bmp',
    runs: RUNS,
    make: () => rleBmpBomb(),
    skip: ['naive'],
  },
];

async function sharpEncode(
  image: { data: Buffer; width: number; height: number },
  format: 'webp' | 'avif',
): Promise<Buffer> {
  const raw = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  return format === 'webp'
    ? raw.webp({ quality: 90 }).toBuffer()
    : raw.avif({ quality: 60 }).toBuffer();
}

function withAlpha(image: { data: Buffer; width: number; height: number }) {
  for (let y = 0; y < image.height; y++) {
    const alpha = Math.round(255 - (200 * y) / image.height);
    for (let x = 0; x < image.width; x++) image.data[(y * image.width + x) * 4 + 3] = alpha;
  }
  return image;
}

function animatedGif(width: number, height: number): Buffer {
  const palette: [number, number, number][] = Array.from({ length: 64 }, (_, i) => [
    (i * 37) % 256,
    (i * 91) % 256,
    (i * 53) % 256,
  ]);
  const frames = [0, 1, 2].map((shift) => {
    const frame = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        frame[y * width + x] = (Math.floor(x / 25) + Math.floor(y / 25) * 3 + shift * 7) % 64;
      }
    }
    return frame;
  });
  return encodeGif({ width, height, palette, frames });
}

interface CaseResult {
  importMs: number;
  times: number[];
  maxRssMB: number;
  outputBytes?: number;
  error?: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function psnr(
  a: { data: Uint8Array; width: number; height: number },
  b: { data: Uint8Array; width: number; height: number },
): number {
  if (a.width !== b.width || a.height !== b.height) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = (a.data[i] ?? 0) - (b.data[i] ?? 0);
    sum += d * d;
  }
  return sum === 0
    ? Number.POSITIVE_INFINITY
    : 10 * Math.log10((255 * 255) / (sum / a.data.length));
}

type Path = 'ours' | 'naive' | 'sharp';
const PATHS: Path[] = ['ours', 'naive', 'sharp'];

/**
 * Bundles the child and each path's library as serverless-esbuild bundles the function (sharp, a
 * native module, stays external and is found through NODE_PATH).
 */
async function bundle(): Promise<Record<Path | 'child', string>> {
  const out = (name: string) => join(cacheDir, `${name}.cjs`);
  for (const name of ['child', 'libOurs', 'libNaive', 'libSharp']) {
    await build({
      entryPoints: [join(serviceDir, `bench/${name}.ts`)],
      outfile: out(name),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      keepNames: true,
      external: ['sharp'],
      logLevel: 'error',
      plugins: [codecWasmFiles],
    });
  }
  return {
    child: out('child'),
    ours: out('libOurs'),
    naive: out('libNaive'),
    sharp: out('libSharp'),
  };
}

let bundles: Record<Path | 'child', string>;

function runCase(mode: Path | 'idle', file: string, runs: number): CaseResult {
  const library = mode === 'idle' ? 'idle' : bundles[mode];
  const stdout = execFileSync(process.execPath, [bundles.child, library, file, String(runs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: { ...process.env, NODE_NO_WARNINGS: '1', NODE_PATH: join(serviceDir, 'node_modules') },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as CaseResult;
}

interface Rgba {
  data: Uint8Array;
  width: number;
  height: number;
}

/** WebP and AVIF, which jimp cannot read, as jsquash's decoders read them. */
async function decodeWasmFormat(bytes: Buffer): Promise<RgbaImage | undefined> {
  const format = bytes.toString('latin1', 8, 12);
  if (format === 'WEBP') return decodeWebp(bytes);
  if (format === 'avif') return decodeAvif(bytes);
  return undefined;
}

/** Full jimp's read, or jsquash's for a WebP or AVIF. */
async function readImage(bytes: Buffer) {
  const decoded = await decodeWasmFormat(bytes);
  return decoded
    ? Jimp.fromBitmap({
        data: Buffer.from(decoded.data),
        width: decoded.width,
        height: decoded.height,
      })
    : Jimp.read(bytes);
}

/**
 * PSNR against a full decode (the naive path's thumbnail; for WebP and AVIF, jsquash's decode
 * scaled to fit as jimp does) of ours (JPEG thumbnails at quality 100, so encoding noise does not
 * hide the decoding gap) and of sharp's (its raw RGBA output). Undefined where neither jimp nor
 * jsquash can read the format or the path refuses the file.
 */
async function quality(bytes: Buffer): Promise<{
  ours?: { psnr: number; size: string; sameSize: boolean; path: string };
  sharp?: { psnr: number; sameSize: boolean };
}> {
  let reference: Rgba;
  try {
    const naive = await readImage(bytes);
    if (naive.width > 128 || naive.height > 128) naive.scaleToFit({ w: 128, h: 128 });
    reference =
      naive.mime === 'image/jpeg'
        ? (await Jimp.read(await naive.getBuffer('image/jpeg', { quality: 100 }))).bitmap
        : naive.mime === 'image/gif'
          ? (await Jimp.read(await naive.getBuffer('image/gif'))).bitmap
          : naive.bitmap;
  } catch {
    return {};
  }
  const result: Awaited<ReturnType<typeof quality>> = {};
  try {
    const ours = await makeThumbnail(bytes, { maxPixels: 40_000_000, jpegQuality: 100 });
    const decoded = (await readImage(ours.body)).bitmap;
    result.ours = {
      psnr: psnr(decoded, reference),
      size: `${ours.width}×${ours.height}`,
      sameSize: ours.width === reference.width && ours.height === reference.height,
      path: ours.decodedWith,
    };
  } catch {
    // Refused: the table says so from the timing run.
  }
  try {
    const { data, info } = await sharp(bytes)
      .rotate()
      .resize(128, 128, { fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const decoded = { data, width: info.width, height: info.height };
    result.sharp = {
      psnr: psnr(decoded, reference),
      sameSize: info.width === reference.width && info.height === reference.height,
    };
  } catch {
    // sharp reads no BMP.
  }
  return result;
}

const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toFixed(digits) : value === Infinity ? '∞' : 'n/a';

const ms = (result: CaseResult | undefined) => {
  if (!result) return '—';
  if (result.error) return `refused (${fmt(median(result.times), 2)} ms)`;
  const m = median(result.times);
  return `${fmt(m, m < 10 ? 2 : 0)} ms`;
};

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      write: { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: pnpm --filter @shop/thumbnail run bench [-- --write] [--out=<file>] [--only=<class,…>]\n\nOurs vs naive jimp vs sharp per image class: time, peak RSS, PSNR. --write rewrites the table in BENCHMARKS.md.\n',
    );
    return;
  }
  const { write, out: outFile, only } = values;
  bundles = await bundle();
  const selected = classes.filter((k) => !only || only.split(',').includes(k.id));
  for (const c of selected) {
    const path = join(cacheDir, c.file);
    if (!existsSync(path)) {
      process.stderr.write(`generating ${c.file}…\n`);
      writeFileSync(path, await c.make());
    }
  }
  const idle = runCase('idle', join(cacheDir, selected[0]?.file ?? ''), 1);
  const rows: string[] = [];
  const refusals: string[] = [];
  const importTimes: Record<Path, number[]> = { ours: [], naive: [], sharp: [] };
  for (const c of selected) {
    const path = join(cacheDir, c.file);
    const bytes = readFileSync(path);
    const results: Partial<Record<Path, CaseResult>> = {};
    for (const mode of PATHS) {
      if (c.skip?.includes(mode as 'naive' | 'sharp')) continue;
      process.stderr.write(`${c.id}: ${mode}… `);
      const result = runCase(mode, path, c.runs);
      results[mode] = result;
      if (!result.error) importTimes[mode].push(result.importMs);
    }
    process.stderr.write('psnr…\n');
    const { ours, naive, sharp: viaSharp } = results;
    if (ours?.error) refusals.push(`${c.label}: ours refused it, "${ours.error}"`);
    // A bomb has no thumbnail to compare, and decoding it in full is what it is built to punish.
    const q = c.skip?.includes('naive') ? {} : await quality(bytes);
    const ratio = (a?: CaseResult, b?: CaseResult) =>
      a && b && !a.error && !b.error ? `${fmt(median(a.times) / median(b.times), 1)}×` : '—';
    const rss = (r?: CaseResult) => (r ? `${fmt(r.maxRssMB)}` : '—');
    const db = (x?: { psnr: number; sameSize: boolean }) =>
      x ? `${fmt(x.psnr, 1)} dB${x.sameSize ? '' : ' (size differs)'}` : '—';
    rows.push(
      [
        c.label,
        `${(bytes.length / 1e6).toFixed(2)} MB`,
        ours?.error ? 'refused' : q.ours ? `${q.ours.size} (${q.ours.path})` : '—',
        ms(ours),
        ms(naive),
        ms(viaSharp),
        ratio(naive, ours),
        ratio(ours, viaSharp),
        `${rss(ours)} / ${rss(naive)} / ${rss(viaSharp)} MB`,
        db(q.ours),
        db(q.sharp),
      ].join(' | '),
    );
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
  const table = [
    '| image | file | ours: thumbnail (decode path) | ours | naive jimp | sharp (1 thread) | naive ÷ ours | ours ÷ sharp | peak RSS ours / naive / sharp | PSNR ours vs full decode | PSNR sharp vs full decode |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
  const summary = [
    `Machine: ${machine}.`,
    'Times are the median of the runs (at least 5, the first included) in one fresh process per',
    "case and path; peak RSS is that process's peak (VmHWM; see bench/child.ts), a bare node",
    `process with the file read being ${fmt(idle.maxRssMB)} MB. "Full decode" is the naive path's`,
    'thumbnail (jimp decodes the whole image, then scales to fit): ours is compared as a JPEG at',
    "quality 100 (so its own encoding noise does not count), sharp's as its raw output. sharp runs",
    'with one libvips thread (`sharp.concurrency(1)`), as our path has one core; it reads no BMP.',
    `Importing the image code: ours ${fmt(median(importTimes.ours))} ms, naive (full jimp)`,
    `${fmt(median(importTimes.naive))} ms, sharp ${fmt(median(importTimes.sharp))} ms.`,
    ...(refusals.length > 0 ? ['', 'Refused by our path:', ...refusals.map((r) => `- ${r}`)] : []),
  ].join('\n');
  process.stdout.write(`${table}\n\n${summary}\n`);
  if (outFile) {
    writeFileSync(outFile, `${table}\n\n${summary}\n`);
    process.stderr.write(`wrote ${outFile}\n`);
  }
  if (write) writeBenchmarks(table, summary);
}

const START = '<!-- thumbnail-benchmark:start -->';
const END = '<!-- thumbnail-benchmark:end -->';

function writeBenchmarks(table: string, summary: string) {
  const file = join(repoRoot, 'BENCHMARKS.md');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${START}\n${table}\n\n${summary}\n${END}`;
  const updated =
    existing.includes(START) && existing.includes(END)
      ? existing.replace(new RegExp(`${START}[\\s\\S]*?${END}`), block)
      : `${existing.trimEnd()}\n\n## Thumbnails (services/thumbnail)\n\n${block}\n`;
  writeFileSync(file, updated);
  process.stderr.write(`wrote ${file}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
