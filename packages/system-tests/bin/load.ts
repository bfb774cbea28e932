import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { findRepoRoot, pollUntil, startLocalCloud, usage, usageMetered } from '@shop/local-cloud';
import {
  LOAD_TOOL_OBSERVER,
  lastLoadUsagePath,
  quietUsage,
  saveUsage,
} from '../src/cost/savedUsage';
import { formatLoadReport, type LoadReport, runLoad } from '../src/loadRun';
import { localTarget } from '../src/localTarget';

/**
 * `pnpm load [--orders 200] [--concurrency 1,4,16] [--observe bus|poll] [--usage-out <file>]`:
 * starts the local cloud on free ports, runs the load at each concurrency (each decision learnt
 * from the bus, or by polling the order), prints figures and invariants, saves the usage the
 * orders caused (for `pnpm cost`), stops. Exits 1 if an invariant broke or an order was lost.
 */
async function main() {
  const { values } = parseArgs({
    // `pnpm load -- --orders 60` and `pnpm load --orders 60` both reach here; the first with a `--`.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      orders: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '1,4,16' },
      'usage-out': { type: 'string' },
      observe: { type: 'string', default: 'bus' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: pnpm load [--orders 200] [--concurrency 1,4,16] [--observe bus|poll] [--usage-out <file>]\n\nPlaces orders from each number of concurrent clients on a fresh local cloud, prints throughput, latency and the saga's invariants, and saves the usage for pnpm cost. LOCAL_CLOUD_USAGE=off runs without metering.\n",
    );
    return;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Meter what the orders use, for `pnpm cost` (LOCAL_CLOUD_USAGE=off measures without it).
  process.env.LOCAL_CLOUD_USAGE ??= 'on';
  const cloud = await startLocalCloud({
    httpPort: 0,
    awsPort: 0,
  });
  const target = await localTarget(cloud);
  // --observe poll: each client polls GET /orders/{id} every 25 ms, as before the bus feed.
  if (values.observe === 'poll') target.decisions = undefined;
  const reports: LoadReport[] = [];
  try {
    process.stdout.write(
      `local cloud ready in ${(cloud.startupMs / 1000).toFixed(1)} s; ${process.arch}, ${cpus().length} cores, Node ${process.version}\n`,
    );
    usage.reset(); // provisioning, seeding and sign-ins are not the orders' usage
    for (const concurrency of values.concurrency.split(',').map(Number)) {
      const report = await runLoad(target, { orders: Number(values.orders), concurrency });
      reports.push(report);
      process.stdout.write(`\n${formatLoadReport(report)}\n`);
    }
    const usageOut = values['usage-out'] ?? lastLoadUsagePath(findRepoRoot());
    if (usageMetered()) {
      saveUsage(usageOut, {
        savedAt: new Date().toISOString(),
        orders: reports.reduce((sum, report) => sum + report.orders, 0),
        run: `pnpm load --orders ${values.orders} --concurrency ${values.concurrency}`,
        observer: LOAD_TOOL_OBSERVER,
        usage: await quietUsage(() => usage.snapshot(), pollUntil).catch((error: Error) => {
          process.stderr.write(`⚠ usage saved while the system was still busy: ${error.message}\n`);
          return usage.snapshot();
        }),
      });
      process.stdout.write(
        `\nusage of these orders saved to ${usageOut}: price it with pnpm cost\n`,
      );
    }
  } finally {
    await target.stop();
    await cloud.stop();
  }
  process.stdout.write(
    [
      '',
      '| concurrency | orders | orders/s | p50 ms | p95 ms | p99 ms | lost | invariants |',
      '|---|---|---|---|---|---|---|---|',
      ...reports.map(
        (r) =>
          `| ${r.concurrency} | ${r.orders} | ${r.ordersPerSecond.toFixed(1)} | ${r.latencyMs.p50} | ${r.latencyMs.p95} | ${r.latencyMs.p99} | ${r.lost} | ${r.violations.length === 0 ? 'hold' : `${r.violations.length} broken`} |`,
      ),
      '',
    ].join('\n'),
  );
  if (reports.some((r) => r.lost > 0 || r.violations.length > 0)) process.exitCode = 1;
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
