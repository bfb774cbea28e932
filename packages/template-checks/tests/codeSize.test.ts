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
 * Functions over the 250 KB goal (issue 12), pinned a few KB above where they stood on 2026-11-28
 * so they cannot grow unnoticed while the goal is still missed. Lower a figure when a change
 * shrinks the function; never raise one without saying why here.
 */
const FUNCTION_BUDGETS: Record<string, number> = {
  // Every event consumer carries zod (202 KB minified), the SDK core and the X-Ray SDK; these three
  // also carry their own clients and are 2–9 KB over the goal.
  'inventory/handleBusEvents': 256 * KB,
  'notification/handleCustomerEvents': 263 * KB,
  'order/recordOutcomes': 257 * KB,
  // The Stripe SDK (258 KB minified) travels in the zip; it is loaded only in stages that charge
  // through Stripe. 39 KB over the goal.
  'payment/handleOrderEvents': 293 * KB,
  // jimp's JPEG, PNG and GIF codecs and its zod 3, plus the TIFF and BMP codecs, which load only
  // when an image of their format arrives but travel in the zip. 191 KB over the goal.
  'thumbnail/createThumbnail': 445 * KB,
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
