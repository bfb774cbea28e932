import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventSnapshots } from './eventSnapshots';
import type { JsonSchema } from './schemaCompatibility';

/** Where the committed snapshots live: `packages/contracts/snapshots/<name>.json`. */
export const SNAPSHOT_DIR = join(__dirname, '..', 'snapshots');

const EXTENSION = '.json';

/**
 * The snapshots committed in `dir`, by name (the file name without `.json`); empty when the
 * folder does not exist yet.
 *
 * @example
 * ```ts
 * readSnapshots(SNAPSHOT_DIR).get('OrderCreated.v1');
 * ```
 */
export function readSnapshots(dir: string): EventSnapshots {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(EXTENSION));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  return new Map(
    files
      .sort()
      .map((file) => [
        file.slice(0, -EXTENSION.length),
        JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonSchema,
      ]),
  );
}

/**
 * Makes `dir` hold exactly `snapshots`: writes each as `<name>.json` and deletes the `.json`
 * files of versions no longer listed. Returns the paths it wrote.
 *
 * @example
 * ```ts
 * writeSnapshots(SNAPSHOT_DIR, catalogueSnapshots(eventCatalogue));
 * ```
 */
export function writeSnapshots(dir: string, snapshots: EventSnapshots): string[] {
  mkdirSync(dir, { recursive: true });
  for (const name of readSnapshots(dir).keys()) {
    if (!snapshots.has(name)) rmSync(join(dir, `${name}${EXTENSION}`));
  }
  return [...snapshots].map(([name, schema]) => {
    const path = join(dir, `${name}${EXTENSION}`);
    writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
    return path;
  });
}
