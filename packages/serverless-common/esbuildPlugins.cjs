'use strict';

const path = require('node:path');

/**
 * esbuild plugins of every service's bundle, listed in custom.yml as
 * `esbuild.plugins: ../../packages/serverless-common/esbuildPlugins.cjs` (serverless-esbuild
 * resolves the path from the service folder and passes the array to esbuild).
 */

/**
 * zod 4 re-exports every locale from its root (`z.locales`, `core.locales`, zod/mini's too):
 * esbuild cannot drop members of a namespace export, so each bundle carried ~260 KB of
 * translations we never select. Messages are English (classic zod calls `config(en())` itself;
 * for zod/mini, `@shop/contracts/zod` does), so the locales module is replaced by one holding `en`
 * alone: messages stay English and name their fields.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) => {
      if (!/[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer)) return undefined;
      const english = path.join(path.dirname(args.importer), '..', 'locales', 'en');
      const esm = args.path.endsWith('.js');
      return {
        path: `${english}${esm ? '.js' : '.cjs'}`,
        namespace: 'zod-english-only',
        pluginData: { esm },
      };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: args.pluginData.esm
        ? `export { default as en } from ${JSON.stringify(args.path)};`
        : `exports.en = require(${JSON.stringify(args.path)}).default;`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/**
 * The X-Ray SDK (under Powertools Tracer) requires all of `semver` (~30 KB minified, dozens of
 * regular expressions built at load) for one call, `semver.gte`, in `captureAWS`: the patcher of
 * the AWS SDK v2, which no function here calls (Tracer instruments SDK v3 clients, without semver).
 * Its `semver` becomes a module whose `gte` requires `semver/functions/gte` on first call: the
 * same function, loaded only if ever needed. Tracing is unchanged; the function loads faster.
 * The unit test fails if an SDK upgrade starts using another semver function.
 */
const xrayLazySemver = {
  name: 'xray-lazy-semver',
  setup(build) {
    build.onResolve({ filter: /^semver$/ }, (args) => {
      if (
        !/[\\/]aws-xray-sdk-core[\\/]dist[\\/]lib[\\/]patchers[\\/]aws_p\.js$/.test(args.importer)
      ) {
        return undefined;
      }
      return { path: args.importer, namespace: 'xray-lazy-semver' };
    });
    build.onLoad({ filter: /.*/, namespace: 'xray-lazy-semver' }, (args) => ({
      contents: [
        'let gte;',
        'exports.gte = (version, other, options) => {',
        "  gte ??= require('semver/functions/gte');",
        '  return gte(version, other, options);',
        '};',
        '',
      ].join('\n'),
      loader: 'js',
      // `semver/functions/gte` resolves from the X-Ray SDK's own dependencies.
      resolveDir: path.dirname(args.path),
    }));
  },
};

module.exports = [zodEnglishOnly, xrayLazySemver];
