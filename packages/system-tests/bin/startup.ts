import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '@shop/local-cloud';

/**
 * `pnpm bench:startup [--runs 3]`: how long the local cloud takes to be ready, cold (every service packaged
 * again) and warm (package cache hit), as medians of repeated starts on free ports.
 */
async function startOnce(forcePackage: boolean): Promise<number> {
  const cloud = await startLocalCloud({ httpPort: 0, awsPort: 0, forcePackage });
  await cloud.stop();
  return cloud.startupMs;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      runs: { type: 'string', default: process.env.RUNS ?? '3' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: pnpm bench:startup [--runs 3]\n\nStarts the local cloud cold (every service packaged again) and warm, --runs times each, and prints the medians.\n',
    );
    return;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const runs = Number(values.runs);
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) cold.push(await startOnce(true));
  for (let i = 0; i < runs; i++) warm.push(await startOnce(false));
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  process.stdout.write(
    [
      `${cpus().length} cores, Node ${process.version}, ${runs} starts each`,
      '',
      '| start | median s | runs s |',
      '|---|---|---|',
      `| cold (every service packaged again) | ${seconds(median(cold))} | ${cold.map(seconds).join(', ')} |`,
      `| warm (nothing changed) | ${seconds(median(warm))} | ${warm.map(seconds).join(', ')} |`,
      '',
    ].join('\n'),
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
