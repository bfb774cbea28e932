import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '@shop/aws-adapters';
import { startDynamoDb } from '@shop/local-cloud';
import { DynamoDbAnalyticsStore } from '../src/adapters/DynamoDbAnalyticsStore';
import { createFactsTable, historicFact, seedSettledFacts } from '../tests/helpers/factsTable';

// Roll-up cost against history: the full scan (the old algorithm, kept in measureRollUp.ts only)
// and the incremental roll-up, at 1k/10k/100k facts on dynalite in this process. Each roll-up
// runs in a child process for a peak RSS of its own; figures are medians of RUNS runs.
// Read units are what dynalite reports by AWS's item-size rules (4 KB per unit, halved for
// eventually consistent reads); they do not depend on the emulator's speed, times do.
// Usage: pnpm --filter @shop/analytics run bench [sizes, comma-separated]

const RUNS = 3;
/** Facts recorded between two incremental roll-ups: a busy minute of a small shop. */
const NEW_FACTS_PER_RUN = 50;
const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  allowPositionals: true,
  options: { help: { type: 'boolean', short: 'h', default: false } },
});
if (values.help) {
  process.stdout.write(
    'Usage: pnpm --filter @shop/analytics run bench [1000,10000,100000]\n\nRoll-up time, peak RSS and DynamoDB units at each number of facts: full scan (before), one-time build, incremental.\n',
  );
  process.exit(0);
}
const sizes = (positionals[0] ?? '1000,10000,100000').split(',').map(Number);

interface Measure {
  ms: number;
  readUnits: number;
  writeUnits: number;
  requests: number;
  peakRssMb: number;
  folded: number;
  built: boolean;
}

const run = promisify(execFile);
async function measure(mode: string, endpoint: string, table: string): Promise<Measure> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'measureRollUp.ts'), mode, endpoint, table],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measure;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function row(label: string, size: number, measures: Measure[]) {
  const ms = median(measures.map((m) => m.ms));
  const rss = median(measures.map((m) => m.peakRssMb));
  const reads = median(measures.map((m) => m.readUnits));
  const writes = median(measures.map((m) => m.writeUnits));
  const folded = median(measures.map((m) => m.folded));
  return `| ${size.toLocaleString('en')} | ${label} | ${measures.length} | ${ms.toFixed(0)} | ${rss.toFixed(0)} | ${reads} | ${writes} | ${folded} |`;
}

async function main() {
  const emulator = await startDynamoDb(0);
  const client = new DynamoDBClient({
    endpoint: emulator.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const documentClient = createDocumentClient({ client });
  const lines = [
    `Node ${process.version}, ${process.platform}/${process.arch}, dynalite in-process; ${NEW_FACTS_PER_RUN} new facts before each incremental run; medians of ${RUNS} runs (the one-time build: 1 run).`,
    '',
    '| facts | roll-up | runs | time ms | peak RSS MB | read units | write units (table) | facts read/folded |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  try {
    for (const size of sizes) {
      const table = `facts-bench-${size}`;
      await createFactsTable(client, table);
      await seedSettledFacts(
        documentClient,
        table,
        Array.from({ length: size }, (_, n) => historicFact(n)),
      );
      process.stderr.write(`seeded ${size} facts\n`);

      const fullScan: Measure[] = [];
      for (let i = 0; i < RUNS; i += 1)
        fullScan.push(await measure('full-scan', emulator.endpoint, table));
      lines.push(row('full scan (before)', size, fullScan));

      const build = await measure('incremental', emulator.endpoint, table);
      if (!build.built) throw new Error('the first incremental run did not build');
      lines.push(row('first incremental run: one-time build', size, [build]));

      const store = new DynamoDbAnalyticsStore(documentClient, table);
      const incremental: Measure[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const from = size + i * NEW_FACTS_PER_RUN;
        for (let n = from; n < from + NEW_FACTS_PER_RUN; n += 1) {
          await store.putIfAbsent(historicFact(n));
        }
        incremental.push(await measure('incremental', emulator.endpoint, table));
      }
      lines.push(row('incremental (after)', size, incremental));
      process.stderr.write(`measured ${size}\n`);
    }
  } finally {
    client.destroy();
    await emulator.stop();
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
