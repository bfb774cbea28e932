import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const plugins = require('../../esbuildPlugins.cjs');

/** zod resolves from a workspace that depends on it. */
const zodHome = join(__dirname, '../../../contracts/node_modules');
/** The zod/mini every runtime schema is built with, English selected (`@shop/contracts/zod`). */
const shopZod = join(__dirname, '../../../contracts/src/zod.ts');

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

const MINI_SCHEMA_CHECK = `
import * as z from ${JSON.stringify(shopZod)};
const result = z.object({ quantity: z.number() }).safeParse({ quantity: 'two' });
export const issue = result.error?.issues[0];
export const locales = Object.keys(z.locales);
`;

describe('Bundle: @shop/contracts/zod (zod/mini)', () => {
  it('keeps English messages naming the field, as classic zod does', async () => {
    // Act: its package's `sideEffects` keeps the module's `config(en())` in the bundle.
    const { issue } = run(await bundle(MINI_SCHEMA_CHECK, true));

    // Assess
    expect(issue).toMatchObject({
      path: ['quantity'],
      message: 'Invalid input: expected number, received string',
    });
  });

  it('holds only the English locale, even when its namespace is handed on', async () => {
    const { locales } = run(await bundle(MINI_SCHEMA_CHECK, true));

    expect(locales).toEqual(['en']);
  });
});

/** The X-Ray SDK as Powertools Tracer resolves it (from the observability workspace). */
const xraySdkMain = require.resolve('aws-xray-sdk-core', {
  paths: [
    dirname(
      require.resolve('@aws-lambda-powertools/tracer', {
        paths: [join(__dirname, '../../../observability')],
      }),
    ),
  ],
});
const xraySdkLib = dirname(xraySdkMain);

describe('Plugin: xray-lazy-semver', () => {
  /** Bundles the X-Ray SDK's `captureAWS` (the AWS SDK v2 patcher, the one user of semver). */
  async function bundleCaptureAws(withPlugins: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'esbuild-plugins-'));
    try {
      writeFileSync(
        join(dir, 'entry.js'),
        `module.exports = require(${JSON.stringify(xraySdkMain)}).captureAWS;\n`,
      );
      const result = await build({
        entryPoints: [join(dir, 'entry.js')],
        bundle: true,
        minify: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        write: false,
        metafile: true,
        logLevel: 'silent',
        plugins: withPlugins ? plugins : [],
      });
      const inputs = Object.keys(result.metafile.inputs);
      return {
        code: result.outputFiles[0]?.text ?? '',
        semverFiles: inputs.filter((input) => /[\\/]semver[\\/]/.test(input)),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Calls the bundled captureAWS with a fake AWS SDK v2 of `version`, in a fresh process. */
  function captureAwsWith(code: string, version: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'esbuild-plugins-'));
    try {
      writeFileSync(join(dir, 'bundle.js'), code);
      const probe = `try { require(${JSON.stringify(join(dir, 'bundle.js'))})({ VERSION: '${version}' }); console.log('patched'); } catch (e) { console.log(e.message); }`;
      const { stdout } = spawnSync(process.execPath, ['-e', probe], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' },
      });
      return stdout.trim();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('bundles only semver’s gte, required on first use', async () => {
    // Act
    const [lazy, eager] = await Promise.all([bundleCaptureAws(true), bundleCaptureAws(false)]);

    // Assess
    expect(eager.semverFiles.some((file) => file.endsWith('semver/index.js'))).toBe(true);
    expect(lazy.semverFiles.some((file) => file.endsWith('semver/index.js'))).toBe(false);
    expect(lazy.semverFiles.some((file) => file.endsWith('semver/functions/gte.js'))).toBe(true);
    expect(eager.code.length - lazy.code.length).toBeGreaterThan(15 * 1024);
  });

  it('keeps captureAWS’s version check', async () => {
    // Prepare
    const { code } = await bundleCaptureAws(true);

    // Act & Assess
    expect(captureAwsWith(code, '2.7.14')).toBe('AWS SDK version 2.7.15 or greater required.');
    expect(captureAwsWith(code, '2.1692.0')).toBe('patched');
  });

  it('covers every use of semver in the X-Ray SDK', () => {
    // An SDK upgrade that calls another semver function, or requires semver elsewhere, fails here.
    const requirers = readdirSync(xraySdkLib, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .filter((file) => /require\(['"]semver/.test(readFileSync(join(xraySdkLib, file), 'utf8')));
    const awsPatcher = readFileSync(join(xraySdkLib, 'patchers', 'aws_p.js'), 'utf8');
    const calls = new Set([...awsPatcher.matchAll(/semver\.(\w+)/g)].map((match) => match[1]));

    expect(requirers).toEqual([join('patchers', 'aws_p.js')]);
    expect([...calls]).toEqual(['gte']);
  });
});
