'use strict';

const path = require('node:path');

/**
 * esbuild plugins of every service's bundle, listed in custom.yml as
 * `esbuild.plugins: ../../packages/serverless-common/esbuildPlugins.cjs` (serverless-esbuild
 * resolves the path from the service folder and passes the array to esbuild).
 */

/**
 * zod 4 re-exports every locale from its root (`z.locales`, `core.locales`): esbuild cannot drop
 * members of a namespace export, so each bundle carried ~260 KB of translations we never select.
 * Messages are English by default (zod calls `config(en())` itself), so the locales module is
 * replaced by one holding `en` alone: messages stay English and name their fields.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) => {
      if (!/[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)) return undefined;
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

module.exports = [zodEnglishOnly];
