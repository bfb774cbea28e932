import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const plugins = require('../../esbuildPlugins.cjs');

/** zod resolves from a workspace that depends on it. */
const zodHome = join(__dirname, '../../../contracts/node_modules');

async function bundle(source: string, withPlugins: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'esbuild-plugins-'));
  try {
    writeFileSync(join(dir, 'entry.ts'), source);
    const result = await build({
      entryPoints: [join(dir, 'entry.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      mainFields: ['module', 'main'],
      write: false,
      nodePaths: [zodHome],
      plugins: withPlugins ? plugins : [],
    });
    return result.outputFiles[0]?.text ?? '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a CommonJS bundle and returns what it exports. */
function run(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  return module.exports;
}

const SCHEMA_CHECK = `
import { z } from 'zod';
const result = z.object({ quantity: z.number() }).safeParse({ quantity: 'two' });
export const issue = result.error?.issues[0];
// Handing \`z\` on as a value (as libraries do) keeps every member, locales included.
export const locales = Object.keys(z.locales);
`;

describe('Plugin: zod-english-only', () => {
  it('keeps English messages naming the field', async () => {
    // Act
    const { issue } = run(await bundle(SCHEMA_CHECK, true));

    // Assess
    expect(issue).toMatchObject({
      path: ['quantity'],
      message: 'Invalid input: expected number, received string',
    });
  });

  it('leaves the other locales out of the bundle', async () => {
    // Act
    const [english, all] = await Promise.all([
      bundle(SCHEMA_CHECK, true),
      bundle(SCHEMA_CHECK, false),
    ]);

    // Assess
    expect(run(english).locales).toEqual(['en']);
    expect((run(all).locales as string[]).length).toBeGreaterThan(40);
    expect(all.length - english.length).toBeGreaterThan(200 * 1024);
  });
});
