import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';

/** serverless-esbuild's own options, which esbuild itself would reject. */
const PLUGIN_ONLY_OPTIONS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
];

export interface BundleComposition {
  /** Minified bundle size in bytes. */
  bytes: number;
  /** Bytes of the bundle each package (or our own code, `(ours)`) contributes, largest first. */
  contributors: { name: string; bytes: number }[];
}

/** The package an input of the bundle belongs to: `zod`, `@smithy/core`, or `(ours)`. */
export function packageOf(input: string): string {
  const marker = input.lastIndexOf('node_modules/');
  if (marker < 0) return input.startsWith('zod-english-only:') ? 'zod' : '(ours)';
  const parts = input.slice(marker + 'node_modules/'.length).split('/');
  return (parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]) ?? input;
}

/**
 * The esbuild options a service's packaging used: its resolved `custom.esbuild` (from
 * `serverless-state.json`), without serverless-esbuild's own keys, plugins loaded.
 */
export function packagingEsbuildOptions(serviceDir: string, state: unknown): BuildOptions {
  const custom = (state as { service: { custom?: { esbuild?: Record<string, unknown> } } }).service
    .custom;
  const options = { ...(custom?.esbuild ?? {}) };
  for (const name of PLUGIN_ONLY_OPTIONS) delete options[name];
  const plugins =
    typeof options.plugins === 'string' ? require(join(serviceDir, options.plugins)) : [];
  return { ...options, plugins } as BuildOptions;
}

/** Bundles one function's handler as its packaging did and reads esbuild's metafile. */
export async function bundleComposition(
  serviceDir: string,
  options: BuildOptions,
  handler: string,
): Promise<BundleComposition> {
  const entry = join(serviceDir, `${handler.slice(0, handler.lastIndexOf('.'))}.ts`);
  const result = await build({
    ...options,
    entryPoints: [entry],
    write: false,
    outdir: '/bundle',
    metafile: true,
    absWorkingDir: serviceDir,
  });
  return composition(result.metafile);
}

function composition(metafile: Metafile): BundleComposition {
  const byPackage = new Map<string, number>();
  let bytes = 0;
  for (const output of Object.values(metafile.outputs)) {
    bytes += output.bytes;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  const contributors = [...byPackage]
    .map(([name, size]) => ({ name, bytes: size }))
    .sort((a, b) => b.bytes - a.bytes);
  return { bytes, contributors };
}
