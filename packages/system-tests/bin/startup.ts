import { cpus } from 'node:os';
import { startLocalCloud } from '@shop/local-cloud';

/**
 * `pnpm bench:startup`: how long the local cloud takes to be ready, cold (every service packaged
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
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const runs = Number(process.env.RUNS ?? 3);
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
