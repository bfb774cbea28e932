import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildContext } from 'esbuild';

export interface ConsoleAsset {
  body: Buffer | string;
  contentType: string;
}

export interface ConsoleAssets {
  /** `index.html`, `console.css` or `app.js` (bundled from `packages/console/src`). */
  get(name: string): Promise<ConsoleAsset | undefined>;
  /** How long the last bundle took, in ms (undefined before the first request). */
  lastBundleMs(): number | undefined;
  stop(): Promise<void>;
}

const STATIC_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/**
 * The console's files, read from `packages/console`: the page and its stylesheet as they are,
 * the script bundled with esbuild on first request, not at start, so the console costs the
 * local cloud's ready time nothing. Later requests rebuild incrementally (a few ms when nothing
 * changed), so someone editing the console sees the change on reload.
 */
export function consoleAssets(consoleDir: string): ConsoleAssets {
  let context: Promise<BuildContext> | undefined;
  let building: Promise<ConsoleAsset> | undefined;
  let bundleMs: number | undefined;

  const bundle = async (): Promise<ConsoleAsset> => {
    // Imported here, not at the top: a local cloud nobody opens the console of never loads it.
    context ??= import('esbuild').then((esbuild) =>
      esbuild.context({
        entryPoints: [join(consoleDir, 'src', 'main.ts')],
        tsconfig: join(consoleDir, 'tsconfig.json'),
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: ['es2022'],
        outfile: 'app.js',
        sourcemap: 'inline',
        write: false,
        logLevel: 'silent',
      }),
    );
    const started = performance.now();
    const result = await (await context).rebuild();
    bundleMs = Math.round(performance.now() - started);
    const output = result.outputFiles?.find((file) => file.path.endsWith('app.js'));
    if (!output) throw new Error('esbuild produced no app.js');
    return { body: Buffer.from(output.contents), contentType: 'text/javascript; charset=utf-8' };
  };

  return {
    async get(name) {
      if (name === 'app.js') {
        // One build at a time; requests arriving meanwhile share it.
        building ??= bundle().finally(() => {
          building = undefined;
        });
        return building;
      }
      const contentType = STATIC_FILES[name];
      if (!contentType) return undefined;
      return { body: await readFile(join(consoleDir, 'static', name)), contentType };
    },
    lastBundleMs: () => bundleMs,
    async stop() {
      await (await context?.catch(() => undefined))?.dispose();
    },
  };
}
