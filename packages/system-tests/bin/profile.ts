import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '@shop/local-cloud';
import { runLoad } from '../src/loadRun';
import { localTarget } from '../src/localTarget';

/**
 * `pnpm bench:profile [--orders 60] [--concurrency 4] [--observe bus|poll]`: where an order's CPU
 * goes. Starts the local cloud, warms it up, runs the load and prints the CPU each process of the
 * local cloud (this one: gateway, emulators, pollers, load clients; one per service under
 * serverless-offline) spent per order. For a per-function V8 profile, run it with
 * LOCAL_CLOUD_CPU_PROF=<dir> (services) and `node --cpu-prof` (this process).
 */

/** CPU seconds (user + system) of every process in this process's tree, by pid. */
function cpuTree(): Map<number, { name: string; seconds: number }> {
  const tick = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; seconds: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      stats.set(Number(entry), {
        ppid: Number(fields[1]),
        seconds: (Number(fields[11]) + Number(fields[12])) / tick,
        name: `${comm}@${basename(cwd)}`,
      });
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = new Map<number, { name: string; seconds: number }>();
  const visit = (pid: number) => {
    const s = stats.get(pid);
    if (!s) return;
    tree.set(pid, {
      name: pid === process.pid ? 'local-cloud (main)' : s.name,
      seconds: s.seconds,
    });
    for (const [child, c] of stats) if (c.ppid === pid) visit(child);
  };
  visit(process.pid);
  return tree;
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      orders: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '4' },
      observe: { type: 'string', default: 'bus' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: pnpm bench:profile [--orders 60] [--concurrency 4] [--observe bus|poll]\n\nCPU per order of each process of the local cloud under load.\n',
    );
    return;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const cloud = await startLocalCloud({ httpPort: 0, awsPort: 0 });
  const target = await localTarget(cloud);
  if (values.observe === 'poll') target.decisions = undefined;
  try {
    // A warm-up run so first-invocation costs (bundling, cold handlers) are not counted.
    await runLoad(target, { orders: 8, concurrency: 2 });
    const before = cpuTree();
    const started = Date.now();
    const report = await runLoad(target, {
      orders: Number(values.orders),
      concurrency: Number(values.concurrency),
    });
    const wall = (Date.now() - started) / 1000;
    const after = cpuTree();
    const rows = [...after]
      .map(([pid, p]) => ({
        pid,
        name: p.name,
        seconds: p.seconds - (before.get(pid)?.seconds ?? 0),
      }))
      .filter((r) => r.seconds > 0.005)
      .sort((a, b) => b.seconds - a.seconds);
    const total = rows.reduce((sum, r) => sum + r.seconds, 0);
    process.stdout.write(
      `${report.orders} orders at ${report.concurrency} clients: ${report.ordersPerSecond.toFixed(1)} orders/s, p50 ${report.latencyMs.p50} ms; wall ${wall.toFixed(1)} s, CPU ${total.toFixed(1)} s (${((total / wall) * 100).toFixed(0)}% of one core)\n\n| process | CPU ms per order | share |\n|---|---|---|\n`,
    );
    for (const r of rows)
      process.stdout.write(
        `| ${r.name} (${r.pid}) | ${((r.seconds * 1000) / report.orders).toFixed(0)} | ${((r.seconds / total) * 100).toFixed(0)}% |\n`,
      );
  } finally {
    await target.stop();
    await cloud.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
