import { buildSync } from 'esbuild';

/** A jsquash module (`@jsquash/webp/decode.js`, …) bundled to CommonJS by esbuild and run. */
export function requireJsquash(specifier: string): unknown {
  const { outputFiles } = buildSync({
    entryPoints: [require.resolve(specifier)],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0]?.text ?? '')(
    module,
    module.exports,
    require,
  );
  return module.exports;
}
