'use strict';

const { copyFileSync } = require('node:fs');
const path = require('node:path');

const domainDir = path.dirname(require.resolve('@shop/thumbnail-domain/package.json'));
/** The .wasm files of each format's codec, as packages/thumbnail-domain/src/wasmCodecs.ts reads them. */
const WASM_FILES = require('@shop/thumbnail-domain/src/wasmFiles.json');

/**
 * esbuild plugin: copies the WebP and AVIF codecs' .wasm files (jsquash's, resolved from
 * @shop/thumbnail-domain, which depends on them) beside every bundle that contains that codec's
 * code, named after the bundle: `handler.webp_dec.wasm` beside `handler.js`, where wasmCodecs.ts
 * looks first. Bundles without the codecs (createUploadUrl, uploadsMethodNotAllowed) get none.
 *
 * Why the name: the functions of a service are bundled into one build folder, and
 * serverless-esbuild zips every file in it into every function's zip except the other functions'
 * bundles and the files named after them (`handler.js.map`, or here `handler.avif_dec.wasm`). So
 * the codecs land in createThumbnail's zip alone, and serverless-offline, which runs the bundles
 * from that same folder, finds them beside the bundle as Lambda does.
 */
const codecWasmFiles = {
  name: 'codec-wasm-files',
  setup(build) {
    // Which inputs ended up in which output: a module tree-shaken away needs no codec.
    build.initialOptions.metafile = true;
    const workingDir = build.initialOptions.absWorkingDir ?? process.cwd();
    build.onEnd((result) => {
      if (result.errors.length > 0 || !result.metafile) return;
      // A build that writes nothing (a size analysis) has no folder to put the codecs in.
      if (build.initialOptions.write === false) return;
      for (const [output, { inputs }] of Object.entries(result.metafile.outputs)) {
        if (!output.endsWith('.js') && !output.endsWith('.cjs')) continue;
        const bundle = path.resolve(workingDir, output);
        const bundleName = path.basename(bundle, path.extname(bundle));
        for (const [format, files] of Object.entries(WASM_FILES)) {
          const bundled = Object.entries(inputs).some(
            ([input, { bytesInOutput }]) =>
              bytesInOutput > 0 && input.includes(`node_modules/@jsquash/${format}/`),
          );
          if (!bundled) continue;
          for (const specifier of Object.values(files)) {
            const source = require.resolve(specifier, { paths: [domainDir] });
            const target = path.join(
              path.dirname(bundle),
              `${bundleName}.${path.basename(specifier)}`,
            );
            copyFileSync(source, target);
          }
        }
      }
    });
  },
};

module.exports = { codecWasmFiles, WASM_FILES };
