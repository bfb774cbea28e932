import '@shop/thumbnail-domain/testing/jsquashInJest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { makeThumbnail } from '@shop/thumbnail-domain';
import { decodeWebp, encodeWebp, testCard } from '@shop/thumbnail-domain/testing';
import { build } from 'esbuild';

// The service's esbuild plugins (bundling/esbuildPlugins.cjs, as serverless.yml lists them) on
// bundles like the functions': the codecs' .wasm files land beside a bundle that holds the codecs,
// under its name, and the bundle finds them there, with no node_modules around it.

jest.setTimeout(60_000);

const plugins = require('../../bundling/esbuildPlugins.cjs');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'thumbnail-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `source` as serverless-esbuild bundles a handler (custom.yml), into `dir`/`name`.cjs. */
async function bundle(name: string, source: string): Promise<string[]> {
  await build({
    stdin: { contents: source, resolveDir: __dirname, loader: 'ts' },
    outfile: join(dir, `${name}.cjs`),
    bundle: true,
    minify: true,
    keepNames: true,
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    logLevel: 'error',
    plugins,
  });
  return readdirSync(dir).filter((file) => file.startsWith(`${name}.`));
}

describe('Bundling (bundling/esbuildPlugins.cjs)', () => {
  it('puts the four non-threaded codec files beside the thumbnail bundle, named after it', async () => {
    const files = await bundle(
      'handler',
      "export { makeThumbnail } from '@shop/thumbnail-domain';\n",
    );

    expect(files.sort()).toEqual([
      'handler.avif_dec.wasm',
      'handler.avif_enc.wasm',
      'handler.cjs',
      'handler.webp_dec.wasm',
      'handler.webp_enc_simd.wasm',
    ]);
  });

  it('gives a bundle without the codecs none of their files', async () => {
    const files = await bundle(
      'upload',
      "export { createUploadUrl, THUMBNAIL_CONTENT_TYPES } from '@shop/thumbnail-domain';\n",
    );

    expect(files).toEqual(['upload.cjs']);
  });

  it('leaves the disk alone in a build that writes nothing (a size analysis, as bench:cold-start runs)', async () => {
    const result = await build({
      stdin: {
        contents: "export { makeThumbnail } from '@shop/thumbnail-domain';\n",
        resolveDir: __dirname,
        loader: 'ts',
      },
      outdir: join(dir, 'not-written'),
      write: false,
      bundle: true,
      platform: 'node',
      mainFields: ['module', 'main'],
      logLevel: 'silent',
      plugins,
    });

    expect(result.errors).toEqual([]);
    expect(readdirSync(dir)).not.toContain('not-written');
  });

  it('runs the bundled WebP codec from the files beside the bundle', async () => {
    await bundle('handler', "export { makeThumbnail } from '@shop/thumbnail-domain';\n");
    const bundled: { makeThumbnail: typeof makeThumbnail } = require(join(dir, 'handler.cjs'));
    const webp = await encodeWebp(testCard(300, 200));

    const thumbnail = await bundled.makeThumbnail(webp, { maxPixels: 40_000_000 });

    expect(thumbnail).toMatchObject({ contentType: 'image/webp', width: 128, height: 85 });
    expect(await decodeWebp(thumbnail.body)).toMatchObject({ width: 128, height: 85 });
  });
});
