import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageSnapshot } from '@shop/local-cloud';
// The deep path: the package's index loads the whole local cloud, which a unit test has no use for.
import { pollUntil } from '@shop/local-cloud/src/net';
import {
  LOAD_TOOL_OBSERVER,
  quietUsage,
  readSavedUsage,
  saveUsage,
} from '../../src/cost/savedUsage';

const snapshotWith = (invocations: number, emptyReceives: number): UsageSnapshot => ({
  from: '2026-11-28T00:00:00.000Z',
  to: '2026-11-28T00:01:00.000Z',
  functions: [
    { name: 'createOrder', service: 'order', invocations, billedMs: [], source: 'offline-log' },
  ],
  apiGateway: { requests: 0, billedRequests: 0, byRoute: {} },
  sqs: {
    billedRequests: emptyReceives,
    receives: emptyReceives,
    emptyReceives,
    messagesReceived: 0,
    firstReceives: 0,
    byAction: {},
  },
  sns: { billedRequests: 0, messagesPublished: 0, byAction: {} },
  dynamodb: { tables: [] },
  ses: { emails: 0 },
  s3: { tier1: 0, tier2: 0, free: 0 },
  requests: [],
  excludedRequests: 0,
});

describe('Function: quietUsage', () => {
  it('waits until the activity stops changing, whatever the idle polls do', async () => {
    // Prepare: invocations grow for five reads, then stop; empty receives never stop.
    let reads = 0;
    const read = () => {
      reads += 1;
      return snapshotWith(Math.min(reads, 5), reads);
    };

    // Act
    const usage = await quietUsage(read, pollUntil, { quietChecks: 3, intervalMs: 1 });

    // Assess: reads 5, 6, 7, 8 are the same activity; the fourth of them ends the wait.
    expect(reads).toBe(8);
    expect(usage.functions[0]?.invocations).toBe(5);
  });

  it('gives up at its deadline when the system never goes quiet', async () => {
    let reads = 0;
    const busy = () => snapshotWith(++reads, 0);

    await expect(
      quietUsage(busy, pollUntil, { quietChecks: 3, intervalMs: 1, timeoutMs: 50 }),
    ).rejects.toThrow(/timed out/);
  });
});

describe('Function: saveUsage / readSavedUsage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'saved-usage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what a load run saved', () => {
    const path = join(dir, 'nested', 'last-load.json');
    const saved = {
      savedAt: '2026-11-28T00:02:00.000Z',
      orders: 30,
      run: 'pnpm load --orders 30 --concurrency 2',
      observer: LOAD_TOOL_OBSERVER,
      usage: snapshotWith(90, 3),
    };

    saveUsage(path, saved);

    expect(readSavedUsage(path)).toEqual(saved);
  });

  it('refuses a file that is not saved usage', () => {
    const path = join(dir, 'other.json');
    writeFileSync(path, '{"hello":"world"}');

    expect(() => readSavedUsage(path)).toThrow(/not usage saved by pnpm load/);
  });
});
