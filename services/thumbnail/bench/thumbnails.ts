/**
 * Thumbnail benchmark: our path (probe, 1/8-scale DC decode of large JPEGs, slim jimp) against the
 * naive one (full jimp: `Jimp.read` → `scaleToFit` → `getBuffer`), per image class, each case in
 * a fresh process for its peak RSS; plus the PSNR of our thumbnail against the naive one and the
 * pixel bomb's refusal.
 *
 *   pnpm --filter @shop/thumbnail run bench            # prints the table
 *   pnpm --filter @shop/thumbnail run bench -- --write # and writes it into BENCHMARKS.md
 *
 * Fixtures are generated (deterministically) once into the OS temp folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { makeThumbnail } from '@shop/thumbnail-domain';
import {
  encodeGif,
  encodeJpeg,
  encodePng,
  photoLike,
  pixelBombPng,
} from '@shop/thumbnail-domain/testing';
import { build } from 'esbuild';
import { Jimp } from 'jimp';

const serviceDir = resolve(__dirname, '..');
const repoRoot = resolve(serviceDir, '../..');
const cacheDir = join(tmpdir(), 'shop-thumbnail-bench-v2');
mkdirSync(cacheDir, { recursive: true });

interface ImageClass {
  id: string;
  label: string;
  file: string;
  runs: number;
  make: () => Buffer;
  naive?: boolean;
}

const classes: ImageClass[] = [
  {
    id: 'jpeg-1mp',
    label: 'JPEG 1152×864 (1 MP), baseline 4:2:0',
    file: 'jpeg-1mp.jpg',
    runs: 5,
    make: () => encodeJpeg(photoLike(1152, 864, 1), { quality: 90 }),
  },
  {
    id: 'jpeg-2mp',
    label: 'JPEG 1920×1080 (2 MP), baseline 4:2:0',
    file: 'jpeg-2mp.jpg',
    runs: 5,
    make: () => encodeJpeg(photoLike(1920, 1080, 2), { quality: 90 }),
  },
  {
    id: 'jpeg-12mp',
    label: 'JPEG 4032×3024 (12 MP, a phone photo), baseline 4:2:0',
    file: 'jpeg-12mp.jpg',
    runs: 3,
    make: () => encodeJpeg(photoLike(4032, 3024, 3), { quality: 90 }),
  },
  {
    id: 'jpeg-20mp',
    label: 'JPEG 5472×3648 (20 MP), baseline 4:2:0',
    file: 'jpeg-20mp.jpg',
    runs: 5,
    make: () => encodeJpeg(photoLike(5472, 3648, 4), { quality: 90 }),
  },
  {
    id: 'jpeg-20mp-progressive',
    label: 'JPEG 5472×3648 (20 MP), progressive 4:2:0',
    file: 'jpeg-20mp-progressive.jpg',
    runs: 5,
    make: () => encodeJpeg(photoLike(5472, 3648, 4), { quality: 90, progressive: true }),
  },
  {
    id: 'jpeg-20mp-exif6',
    label: 'JPEG 5472×3648 (20 MP), baseline, EXIF orientation 6',
    file: 'jpeg-20mp-exif6.jpg',
    runs: 5,
    make: () => encodeJpeg(photoLike(5472, 3648, 4), { quality: 90, orientation: 6 }),
  },
  {
    id: 'png-9mp-alpha',
    label: 'PNG 3464×2598 (9 MP) RGBA',
    file: 'png-9mp-alpha.png',
    runs: 3,
    make: () => encodePng(withAlpha(photoLike(3464, 2598, 5))),
  },
  {
    id: 'png-40mp-alpha',
    label: 'PNG 7300×5475 (40 MP, at the pixel limit) RGBA',
    file: 'png-40mp-alpha.png',
    runs: 1,
    make: () => encodePng(withAlpha(photoLike(7300, 5475, 6))),
  },
  {
    id: 'gif',
    label: 'GIF 1000×750, 3 frames, 64 colours',
    file: 'gif-animated.gif',
    runs: 5,
    make: () => animatedGif(1000, 750),
  },
  {
    id: 'bomb',
    label: 'PNG bomb 20000×20000 (1-bit, 1 colour)',
    file: 'bomb.png',
    runs: 5,
    make: () => pixelBombPng(),
    // The naive path takes ~30 s and ~1.7 GB on it (issue 5); not worth a run.
    naive: false,
  },
];

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

/** Bundles the child and each path's library as serverless-esbuild bundles the function. */
async function bundle(): Promise<{ child: string; ours: string; naive: string }> {
  const out = (name: string) => join(cacheDir, `${name}.cjs`);
  for (const name of ['child', 'libOurs', 'libNaive']) {
    await build({
      entryPoints: [join(serviceDir, `bench/${name}.ts`)],
      outfile: out(name),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      keepNames: true,
      logLevel: 'error',
    });
  }
  return { child: out('child'), ours: out('libOurs'), naive: out('libNaive') };
}

let bundles: { child: string; ours: string; naive: string };

function runCase(mode: 'ours' | 'naive' | 'idle', file: string, runs: number): CaseResult {
  const library = mode === 'idle' ? 'idle' : bundles[mode];
  const stdout = execFileSync(process.execPath, [bundles.child, library, file, String(runs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as CaseResult;
}

/** PSNR of our thumbnail against the naive one, both encoded losslessly-ish (JPEG quality 100). */
async function compare(
  bytes: Buffer,
): Promise<{ psnr: number; size: string; sameSize: boolean; path: string }> {
  const ours = await makeThumbnail(bytes, { maxPixels: 40_000_000, jpegQuality: 100 });
  const naive = await Jimp.read(bytes);
  if (naive.width > 128 || naive.height > 128) naive.scaleToFit({ w: 128, h: 128 });
  const oursDecoded = await Jimp.read(ours.body);
  const naiveDecoded =
    ours.format === 'jpeg'
      ? await Jimp.read(await naive.getBuffer('image/jpeg', { quality: 100 }))
      : ours.format === 'gif'
        ? await Jimp.read(await naive.getBuffer('image/gif'))
        : naive;
  return {
    psnr: psnr(oursDecoded.bitmap, naiveDecoded.bitmap),
    size: `${ours.width}×${ours.height}`,
    sameSize: ours.width === naive.width && ours.height === naive.height,
    path: ours.decodedWith,
  };
}

const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toFixed(digits) : value === Infinity ? '∞' : 'n/a';

async function main() {
  const write = process.argv.includes('--write');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  bundles = await bundle();
  for (const c of classes) {
    const path = join(cacheDir, c.file);
    if (!existsSync(path)) {
      process.stderr.write(`generating ${c.file}…\n`);
      writeFileSync(path, c.make());
    }
  }
  const idle = runCase('idle', join(cacheDir, classes[0]?.file ?? ''), 1);
  const rows: string[] = [];
  const importTimes = { ours: [] as number[], naive: [] as number[] };
  for (const c of classes.filter((k) => !only || only.split(',').includes(k.id))) {
    const path = join(cacheDir, c.file);
    const bytes = readFileSync(path);
    process.stderr.write(`${c.id}: ours…`);
    const ours = runCase('ours', path, c.runs);
    importTimes.ours.push(ours.importMs);
    let naive: CaseResult | undefined;
    if (c.naive !== false) {
      process.stderr.write(' naive…');
      naive = runCase('naive', path, c.runs);
      importTimes.naive.push(naive.importMs);
    }
    process.stderr.write(' psnr…\n');
    const quality = c.id === 'bomb' ? undefined : await compare(bytes);
    const oursMs = median(ours.times);
    const naiveMs = naive ? median(naive.times) : Number.NaN;
    rows.push(
      [
        c.label,
        `${(bytes.length / 1e6).toFixed(2)} MB`,
        ours.error ? `refused: ${ours.error}` : `${quality?.size} (${quality?.path})`,
        `${fmt(oursMs, oursMs < 10 ? 2 : 0)} ms (${fmt(Math.min(...ours.times), oursMs < 10 ? 2 : 0)})`,
        naive ? `${fmt(naiveMs)} ms (${fmt(Math.min(...naive.times))})` : '—',
        naive ? `${fmt(naiveMs / oursMs, 1)}×` : '—',
        `${fmt(ours.maxRssMB)} MB`,
        naive ? `${fmt(naive.maxRssMB)} MB` : '—',
        quality ? `${fmt(quality.psnr, 1)} dB${quality.sameSize ? '' : ' (size differs!)'}` : '—',
      ].join(' | '),
    );
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
  const table = [
    '| image | file | thumbnail (decode path) | ours | naive | speed-up | ours peak RSS | naive peak RSS | PSNR ours vs naive |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
  const summary = [
    `Machine: ${machine}.`,
    `Times are the median (and the fastest) of the runs in one fresh process per case, the first`,
    `run included; peak RSS is that process's peak (VmHWM; see bench/child.ts), a bare node process`,
    `with the file read being`,
    `${fmt(idle.maxRssMB)} MB. Importing the image code: ours (slim jimp) ${fmt(median(importTimes.ours))} ms,`,
    `naive (full jimp) ${fmt(median(importTimes.naive))} ms.`,
  ].join('\n');
  process.stdout.write(`${table}\n\n${summary}\n`);
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
