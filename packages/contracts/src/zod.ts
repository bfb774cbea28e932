/**
 * The zod every runtime schema of the shop is built with, imported as
 * `import * as z from '@shop/contracts/zod'`: `zod/mini`, with English messages.
 *
 * zod/mini is zod 4's functional API (`z.string().check(z.minLength(1))`,
 * `z.optional(schema)`): esbuild keeps only the functions a bundle calls, where classic zod's
 * methods bring all of it (~200 KB minified). Requiring the schemas of three order events in a
 * fresh process took 61 ms with classic zod and 25 ms with zod/mini (BENCHMARKS.md, "Cold start
 * and code size"). Schemas, JSON Schemas (`z.toJSONSchema`), inferred types and messages are the
 * same; classic zod may still build documents at build time (`openapi.ts`).
 *
 * Unlike classic zod, zod/mini selects no locale, and every issue would read "Invalid input":
 * this module selects English once, for every schema. It is listed in the package's
 * `sideEffects`, so bundlers keep that call.
 *
 * @example
 * ```ts
 * import * as z from '@shop/contracts/zod';
 *
 * const QuantitySchema = z.number().check(z.int(), z.positive());
 * z.safeParse(QuantitySchema, 0).error?.issues[0]?.message; // 'Too small: expected number to be >0'
 * ```
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
