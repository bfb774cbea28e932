import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { PackagedService } from '@shop/local-cloud';
import { packageAllServices } from './helpers/packagedServices';

// Every function's zip (what `sls deploy` uploads, SDK bundled) stays within its size budget: the
// bytes a cold start downloads, unzips and parses. `pnpm bench:cold-start` prints what fills a
// bundle when one grows.

jest.setTimeout(600_000);

const KB = 1024;

/** The budget of every function not listed in FUNCTION_BUDGETS. */
const DEFAULT_BUDGET = 250 * KB;

/**
 * Functions with a budget of their own. Lower a figure when a change shrinks the function; never
 * raise one without saying why here. (Since zod/mini, 2026-11-28, every other function is under
 * the default: 45–235 KB, the largest payment's handleOrderEvents with the Stripe SDK.)
 */
const FUNCTION_BUDGETS: Record<string, number> = {
  // Its own budget, far over the goal by design: the WebP and AVIF codecs travel as WebAssembly
  // files beside the bundle, 1,605 KB of the zip (jsquash's AVIF encoder 1,099 KB, AVIF decoder
  // 333 KB, WebP SIMD encoder 125 KB, WebP decoder 48 KB; 5.1 MB unzipped), read and compiled
  // only when an image of their format arrives. The bundle itself is 436 KB zipped: jimp's JPEG,
  // PNG and GIF codecs and its zod 3, the lazily loaded TIFF and BMP codecs, jsquash's glue.
  // 2,042 KB on 2026-11-28.
  'thumbnail/createThumbnail': 2_050 * KB,
};

const zipSizes: { fn: string; bytes: number }[] = [];

beforeAll(async () => {
  const services: PackagedService[] = await packageAllServices();
  // Sizes are read at once: another run may package a service again meanwhile.
  for (const service of services) {
    for (const name of Object.keys(service.functions)) {
      const bytes = statSync(join(service.dir, '.serverless', `${name}.zip`)).size;
      zipSizes.push({ fn: `${service.name}/${name}`, bytes });
    }
  }
});

describe('Packaged code size', () => {
  it('finds the zip of every function', () => {
    expect(zipSizes.length).toBeGreaterThan(10);
  });

  it('keeps every function zip within its budget', () => {
    const over = zipSizes
      .filter(({ fn, bytes }) => bytes > (FUNCTION_BUDGETS[fn] ?? DEFAULT_BUDGET))
      .map(
        ({ fn, bytes }) =>
          `${fn}: ${(bytes / KB).toFixed(0)} KB > ${((FUNCTION_BUDGETS[fn] ?? DEFAULT_BUDGET) / KB).toFixed(0)} KB`,
      );

    expect(over).toEqual([]);
  });

  it('names only functions that exist in its budgets', () => {
    const functions = new Set(zipSizes.map(({ fn }) => fn));

    expect(Object.keys(FUNCTION_BUDGETS).filter((fn) => !functions.has(fn))).toEqual([]);
  });
});
