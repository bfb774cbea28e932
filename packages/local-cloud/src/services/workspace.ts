import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root: the folder holding pnpm-workspace.yaml above this package. */
export function findRepoRoot(start = __dirname): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`pnpm-workspace.yaml not found above ${start}`);
    dir = parent;
  }
  return dir;
}

/** Folders under services/ that hold a serverless.yml, the bus first (other stacks import from it). */
export function serviceDirs(repoRoot: string): string[] {
  const root = join(repoRoot, 'services');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'serverless.yml')))
    .map((entry) => join(root, entry.name))
    .sort(
      (a, b) =>
        Number(b.endsWith('event-bus')) - Number(a.endsWith('event-bus')) || a.localeCompare(b),
    );
}

/**
 * The serverless CLI (osls) a service folder uses: its own `node_modules/.bin/serverless`, or the
 * nearest one above it, as Node would resolve its plugins.
 */
export function serverlessBin(serviceDir: string): string {
  let dir = resolve(serviceDir);
  for (;;) {
    const bin = join(dir, 'node_modules', '.bin', 'serverless');
    if (existsSync(bin)) return bin;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`no serverless CLI installed for ${serviceDir}; run pnpm install`);
    dir = parent;
  }
}
