/**
 * Updates the committed JSON Schema snapshots of the event catalogue (`snapshots/`), on purpose:
 *
 *   pnpm --filter @shop/contracts run snapshot           write them; refuses a breaking change
 *   pnpm --filter @shop/contracts run snapshot --check   only report; exit 1 when not up to date
 *   pnpm --filter @shop/contracts run snapshot --accept-breaking
 *       write even over breaking changes: only for an event no deployed service has published yet,
 *       or a zod upgrade that rewrote a pattern; the snapshot diff is what reviewers then judge
 *
 * CI runs the same check as a jest test (tests/unit/eventSnapshots.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { eventCatalogue } from '../src/catalogue';
import { checkEventSnapshots, type SnapshotProblem } from '../src/eventSnapshots';
import { readSnapshots, SNAPSHOT_DIR, writeSnapshots } from '../src/snapshotFiles';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    check: { type: 'boolean', default: false },
    'accept-breaking': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    "Usage: pnpm --filter @shop/contracts run snapshot [--check | --accept-breaking]\n\nWrites the event catalogue's JSON Schema snapshots, refusing breaking changes; --check only reports.\n",
  );
  process.exit(0);
}
const checkOnly = values.check;
const acceptBreaking = values['accept-breaking'];
const { problems, outdated, current } = checkEventSnapshots(
  eventCatalogue,
  readSnapshots(SNAPSHOT_DIR),
);
const print = (line: string) => process.stdout.write(`${line}\n`);
const describe = (problem: SnapshotProblem) =>
  `  ${problem.snapshot} ${problem.path}: ${problem.message} (${problem.kind})`;

if (problems.length > 0) {
  console.error('Breaking changes: bump the version (see packages/contracts/README.md)');
  for (const problem of problems) console.error(describe(problem));
  if (checkOnly || !acceptBreaking) process.exit(1);
  console.warn('--accept-breaking: writing them anyway.');
}
if (outdated.length === 0) {
  print('Event snapshots match the catalogue.');
  process.exit(0);
}
if (checkOnly) {
  console.error(`Outdated snapshots: ${outdated.join(', ')}; run the snapshot script.`);
  process.exit(1);
}
const written = writeSnapshots(SNAPSHOT_DIR, current);
// Biome formats JSON too: write what `biome check` expects, so the lint stays green.
const biome = require.resolve('@biomejs/biome/bin/biome');
const formatted = spawnSync(process.execPath, [biome, 'format', '--write', ...written], {
  stdio: 'inherit',
});
if (formatted.status !== 0) console.warn('biome format failed: run `pnpm run format`.');
print(`Updated: ${outdated.join(', ')} (in ${relative(process.cwd(), SNAPSHOT_DIR) || '.'})`);
