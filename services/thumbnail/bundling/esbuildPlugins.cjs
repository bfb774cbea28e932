'use strict';

const { codecWasmFiles } = require('./codecWasmFiles.cjs');

/** Every service's esbuild plugins, and the codecs' .wasm files beside createThumbnail's bundle. */
module.exports = [
  ...require('../../../packages/serverless-common/esbuildPlugins.cjs'),
  codecWasmFiles,
];
