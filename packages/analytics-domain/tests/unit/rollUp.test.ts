import * as z from '@shop/contracts/zod';
import fc from 'fast-check';
import { AnalyticsSummarySchema, STOCK_HISTORY_LENGTH } from '../../src/schemas';
import { summarize } from '../../src/summary';
import { latestSummary } from '../../src/useCases/latestSummary';
import { recordEvent } from '../../src/useCases/recordEvent';
import { rollUp } from '../../src/useCases/rollUp';
import { analyticsEventArbitrary, factArbitrary } from '../helpers/arbitraries';
import { fakeDependencies } from '../helpers/fakes';
import { cancellationFact, eur, eventId, saleFact, stockChangeFact } from '../helpers/fixtures';

// A hundred generated cases each: under coverage on a busy 2-core CI machine they take several
// times the second or so they take here, past jest's 5 s default.
jest.setTimeout(30_000);

const NOW = new Date('2026-11-27T10:05:00.000Z');
const LATER = new Date('2026-11-27T10:06:00.000Z');

describe('Function: rollUp', () => {
  it('builds the totals once from the facts recorded before it existed, and serves them', async () => {
    // Prepare
    const facts = [saleFact(), stockChangeFact(), cancellationFact()];
    const deps = fakeDependencies({ facts });

    // Act
    const result = await rollUp(deps, NOW);

    // Assess
    expect(result).toEqual({
      summary: summarize(facts, NOW),
      stored: true,
      folded: 0,
      built: true,
    });
    expect(await deps.summaries.latest()).toEqual(summarize(facts, NOW));
  });

  it('folds only the facts recorded since the last roll-up, never reading history again', async () => {
    // Prepare
    const history = Array.from({ length: 30 }, (_, n) =>
      saleFact({ orderId: `order-${n}`, revenue: eur(100) }),
    );
    const deps = fakeDependencies({ facts: history });
    await rollUp(deps, NOW);
    const settledFacts = jest.spyOn(deps.rollUps, 'settledFacts');
    const recent = saleFact({ orderId: 'order-new', revenue: eur(100) });
    await deps.facts.putIfAbsent(recent);

    // Act
    const result = await rollUp(deps, LATER);

    // Assess
    expect(settledFacts).not.toHaveBeenCalled();
    expect(result).toMatchObject({ folded: 1, built: false, stored: true });
    expect(result.summary).toEqual(summarize([...history, recent], LATER));
    expect(deps.rollUps.pendingCount).toBe(0);
  });

  it('moves generatedAt on when nothing happened since the last roll-up', async () => {
    const deps = fakeDependencies({ facts: [saleFact()] });
    await rollUp(deps, NOW);

    const result = await rollUp(deps, LATER);

    expect(result).toMatchObject({ folded: 0, stored: true });
    expect((await latestSummary(deps))?.generatedAt).toBe(LATER.toISOString());
  });

  it('places a late stock change by its time, as a full recount would', async () => {
    // Prepare
    const changes = Array.from({ length: STOCK_HISTORY_LENGTH }, (_, n) =>
      stockChangeFact({
        eventId: eventId(100 + n),
        at: `2026-11-27T09:${String(10 + n).padStart(2, '0')}:00.000Z`,
        stock: 50 + n,
      }),
    );
    const deps = fakeDependencies({ facts: changes });
    await rollUp(deps, NOW);
    const late = stockChangeFact({
      eventId: eventId(1),
      at: '2026-11-27T09:00:00.000Z',
      cause: 'RESTOCKED',
      delta: 7,
      stock: 1,
    });
    const latest = stockChangeFact({
      eventId: eventId(2),
      at: '2026-11-27T10:00:00.000Z',
      stock: 3,
    });
    await deps.facts.putIfAbsent(late);
    await deps.facts.putIfAbsent(latest);

    // Act
    const { summary } = await rollUp(deps, LATER);

    // Assess
    expect(summary).toEqual(summarize([...changes, late, latest], LATER));
    expect(summary?.products[0]).toMatchObject({ currentStock: 3, unitsRestocked: 7 });
  });

  it('counts an order once when its lines are folded in different steps', async () => {
    // Prepare
    const deps = fakeDependencies();
    await deps.facts.putIfAbsent(saleFact({ orderId: 'order-1', productId: 'prod-a' }));
    await deps.facts.putIfAbsent(saleFact({ orderId: 'order-1', productId: 'prod-b' }));

    // Act
    const { summary } = await rollUp(deps, NOW, { batchSize: 1 });

    // Assess
    expect(deps.rollUps.pendingReads).toEqual([1, 1, 0]);
    expect(summary?.orders.confirmed).toBe(1);
  });

  it('does not count again an order the first build counted when another of its lines comes late', async () => {
    const deps = fakeDependencies({
      facts: [saleFact({ orderId: 'order-1', productId: 'prod-a' })],
    });
    await rollUp(deps, NOW);
    await deps.facts.putIfAbsent(saleFact({ orderId: 'order-1', productId: 'prod-b' }));

    const { summary } = await rollUp(deps, LATER);

    expect(summary?.orders.confirmed).toBe(1);
    expect(summary?.products.map((p) => p.unitsSold)).toEqual([2, 2]);
  });

  it('works off a backlog in steps, leaving what exceeds maxSteps to the next run', async () => {
    // Prepare
    const deps = fakeDependencies();
    for (let n = 0; n < 5; n += 1)
      await deps.facts.putIfAbsent(cancellationFact({ orderId: `o-${n}` }));

    // Act
    const first = await rollUp(deps, NOW, { batchSize: 2, maxSteps: 2 });
    const second = await rollUp(deps, LATER, { batchSize: 2 });

    // Assess
    expect(first.folded).toBe(4);
    expect(second.folded).toBe(1);
    expect(second.summary?.orders.cancelled).toBe(5);
  });

  it('folds each fact once when another roll-up commits in between, starting again from it', async () => {
    // Prepare
    const deps = fakeDependencies({ facts: [saleFact({ orderId: 'order-0' })] });
    await rollUp(deps, NOW);
    const pending = [
      saleFact({ orderId: 'order-1', productId: 'prod-a' }),
      saleFact({ orderId: 'order-1', productId: 'prod-b' }),
      cancellationFact({ orderId: 'order-2' }),
    ];
    for (const fact of pending) await deps.facts.putIfAbsent(fact);
    let overlapping = true;
    deps.rollUps.beforeCommit = async () => {
      if (!overlapping) return;
      overlapping = false;
      await rollUp(deps, NOW);
    };

    // Act
    const result = await rollUp(deps, LATER);

    // Assess
    expect(result).toMatchObject({ stored: true, folded: 0 });
    expect(result.summary).toEqual(
      summarize([saleFact({ orderId: 'order-0' }), ...pending], LATER),
    );
  });

  it('gives way when overlapping roll-ups win every attempt', async () => {
    // Prepare
    const deps = fakeDependencies();
    await rollUp(deps, NOW);
    await deps.facts.putIfAbsent(saleFact());
    let inside = false;
    deps.rollUps.beforeCommit = async () => {
      if (inside) return;
      inside = true;
      await rollUp(deps, NOW, { maxSteps: 1 });
      inside = false;
    };

    // Act
    const result = await rollUp(deps, LATER, { maxConflicts: 2 });

    // Assess
    expect(result).toEqual({ summary: undefined, stored: false, folded: 0, built: false });
    expect((await latestSummary(deps))?.orders.confirmed).toBe(1);
  });

  it('builds once when two first roll-ups overlap', async () => {
    const deps = fakeDependencies({ facts: [saleFact(), cancellationFact()] });
    let overlapping = true;
    deps.rollUps.beforeCommit = async () => {
      if (!overlapping) return;
      overlapping = false;
      await rollUp(deps, NOW);
    };

    const result = await rollUp(deps, LATER);

    expect(result).toMatchObject({ stored: true, built: false });
    expect(result.summary).toEqual(summarize([saleFact(), cancellationFact()], LATER));
  });

  it('commits nothing when a revenue total would overflow', async () => {
    // Prepare
    const deps = fakeDependencies();
    await rollUp(deps, NOW);
    await deps.facts.putIfAbsent(
      saleFact({ orderId: 'o-1', revenue: eur(Number.MAX_SAFE_INTEGER) }),
    );
    await deps.facts.putIfAbsent(saleFact({ orderId: 'o-2', revenue: eur(1) }));

    // Act & Assess
    await expect(rollUp(deps, LATER)).rejects.toThrow(RangeError);
    expect(deps.rollUps.pendingCount).toBe(2);
    expect((await latestSummary(deps))?.generatedAt).toBe(NOW.toISOString());
  });

  it('refuses to build from history whose revenue overflows', async () => {
    const deps = fakeDependencies({
      facts: [
        saleFact({ orderId: 'o-1', revenue: eur(Number.MAX_SAFE_INTEGER) }),
        saleFact({ orderId: 'o-2', revenue: eur(1) }),
      ],
    });

    await expect(rollUp(deps, NOW)).rejects.toThrow(RangeError);
    expect(await latestSummary(deps)).toBeUndefined();
  });
});

describe('Property: incremental roll-ups', () => {
  it('give what one full recount gives, however records, batches and runs interleave', async () => {
    const scenario = fc.record({
      settled: fc.array(factArbitrary, { maxLength: 15 }),
      events: fc.array(analyticsEventArbitrary, { maxLength: 20 }),
      // After which events a roll-up runs, and with what batch size.
      runs: fc.array(fc.tuple(fc.nat(20), fc.integer({ min: 1, max: 4 })), { maxLength: 6 }),
    });

    await fc.assert(
      fc.asyncProperty(scenario, async ({ settled, events, runs }) => {
        // Prepare
        const deps = fakeDependencies({ facts: settled });
        for (const [index, event] of events.entries()) {
          await recordEvent(deps, event);
          for (const [after, batchSize] of runs) {
            if (after === index) await rollUp(deps, NOW, { batchSize, maxSteps: 2 });
          }
        }

        // Act
        const { summary } = await rollUp(deps, LATER, { maxSteps: 1_000 });

        // Assess
        expect(summary).toEqual(summarize(await deps.facts.listAll(), LATER));
        expect(AnalyticsSummarySchema.safeParse(summary).error).toBeUndefined();
      }),
    );
  });
});

describe('Function: latestSummary', () => {
  it('returns the summary of the latest roll-up', async () => {
    const deps = fakeDependencies({ facts: [saleFact()] });
    await rollUp(deps, NOW);

    await expect(latestSummary(deps)).resolves.toEqual(summarize([saleFact()], NOW));
  });

  it('returns the summary the full-scan roll-up left until the first incremental one', async () => {
    const summary = summarize([saleFact()], NOW);
    const deps = fakeDependencies({ summary });

    await expect(latestSummary(deps)).resolves.toEqual(summary);
  });

  it('returns undefined before the first roll-up', async () => {
    const deps = fakeDependencies();

    await expect(latestSummary(deps)).resolves.toBeUndefined();
  });
});

describe('Schema: AnalyticsSummarySchema', () => {
  it('accepts its own example', () => {
    const example = z.globalRegistry.get(AnalyticsSummarySchema)?.example;

    expect(AnalyticsSummarySchema.safeParse(example).error).toBeUndefined();
  });

  it('rejects a summary missing a cancellation reason', () => {
    const summary = summarize([], NOW);
    const { PAYMENT_FAILED: _dropped, ...cancelledByReason } = summary.orders.cancelledByReason;

    const result = AnalyticsSummarySchema.safeParse({
      ...summary,
      orders: { ...summary.orders, cancelledByReason },
    });

    expect(result.success).toBe(false);
  });
});
