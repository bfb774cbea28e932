'use strict';

/**
 * `custom.esbuild` of this service (serverless.yml reads it with `${file(...)}`): the options
 * every service shares, packages/serverless-common/custom.yml, with this service's plugin list,
 * which adds the WebP and AVIF codecs' .wasm files (esbuildPlugins.cjs).
 */
module.exports = async ({ resolveVariable }) => ({
  ...(await resolveVariable('file(../../packages/serverless-common/custom.yml):esbuild')),
  // Resolved from the service folder, as the shared one is.
  plugins: './bundling/esbuildPlugins.cjs',
});
