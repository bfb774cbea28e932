import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { UsageSnapshot } from '@shop/local-cloud';

/** The usage a load run caused, with the orders it placed: what `pnpm cost` prices. */
export interface SavedUsage {
  savedAt: string;
  orders: number;
  /** How the orders were placed (`pnpm load --orders 30 --concurrency 2`). */
  run: string;
  /** What the load tool itself called to watch the orders: not part of an order's cost. */
  observer: Observer;
  usage: UsageSnapshot;
}

/** Routes and the functions behind them (by key) that only watched the orders. */
export interface Observer {
  routes: string[];
  functions: string[];
}

/**
 * What `pnpm load` calls besides placing orders: it polls each order's status as its customer
 * and reads the products' stock to check the invariants.
 */
export const LOAD_TOOL_OBSERVER: Observer = {
  routes: ['GET /orders/{id}', 'GET /products/{id}'],
  functions: ['getOrder', 'getProduct'],
};

/** Where `pnpm load` saves the usage of its last run, and `pnpm cost` reads it by default. */
export function lastLoadUsagePath(repoRoot: string): string {
  return join(repoRoot, '.local-cloud', 'usage', 'last-load.json');
}

export function saveUsage(path: string, saved: SavedUsage): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(saved, null, 2)}\n`);
}

export function readSavedUsage(path: string): SavedUsage {
  const saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<SavedUsage>;
  if (typeof saved.orders !== 'number' || !saved.usage?.functions)
    throw new Error(`${path} is not usage saved by pnpm load (no orders or usage)`);
  return { ...saved, observer: saved.observer ?? { routes: [], functions: [] } } as SavedUsage;
}

/** What grows while the system still works on orders (not the idle polls, which never stop). */
export function activityOf(usage: UsageSnapshot): string {
  return JSON.stringify([
    usage.functions.reduce((sum, f) => sum + f.invocations, 0),
    usage.apiGateway.requests,
    usage.sqs.messagesReceived,
    usage.sns.billedRequests,
    usage.ses.emails,
    usage.dynamodb.tables.reduce((sum, t) => sum + t.requests, 0),
  ]);
}

/**
 * Resolves with the usage once the system has gone quiet: the same activity over `quietChecks`
 * consecutive reads `intervalMs` apart (a local poller picks a message up within 2 s), so the
 * emails and analytics that follow an order's last status are counted too.
 */
export async function quietUsage(
  read: () => UsageSnapshot,
  poll: <T>(
    what: string,
    check: () => Promise<T | undefined>,
    options: { timeoutMs: number; intervalMs?: number },
  ) => Promise<T>,
  { quietChecks = 4, intervalMs = 1000, timeoutMs = 120_000 } = {},
): Promise<UsageSnapshot> {
  let last = '';
  let unchanged = 0;
  return poll(
    'the system to go quiet (no invocation, message or request for a few seconds)',
    async () => {
      const usage = read();
      const activity = activityOf(usage);
      unchanged = activity === last ? unchanged + 1 : 0;
      last = activity;
      return unchanged >= quietChecks ? usage : undefined;
    },
    { timeoutMs, intervalMs },
  );
}
