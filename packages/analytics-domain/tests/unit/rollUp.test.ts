import { AnalyticsSummarySchema } from '../../src/schemas';
import { summarize } from '../../src/summary';
import { latestSummary } from '../../src/useCases/latestSummary';
import { rollUp } from '../../src/useCases/rollUp';
import { fakeDependencies } from '../helpers/fakes';
import { cancellationFact, saleFact, stockChangeFact } from '../helpers/fixtures';

const NOW = new Date('2026-11-27T10:05:00.000Z');

describe('Function: rollUp', () => {
  it('summarizes every stored fact and stores the summary as the latest', async () => {
    // Prepare
    const facts = [saleFact(), stockChangeFact(), cancellationFact()];
    const deps = fakeDependencies({ facts });

    // Act
    const result = await rollUp(deps, NOW);

    // Assess
    expect(result).toEqual({ summary: summarize(facts, NOW), stored: true });
    expect(await deps.summaries.latest()).toEqual(result.summary);
    expect(result.summary).toMatchObject({
      generatedAt: '2026-11-27T10:05:00.000Z',
      orders: { confirmed: 1, cancelled: 1 },
    });
  });

  it('reports that it stored nothing when a newer summary is already there', async () => {
    // Prepare
    const newer = summarize([], new Date('2026-11-27T10:06:00.000Z'));
    const deps = fakeDependencies({ facts: [saleFact()], summary: newer });

    // Act
    const result = await rollUp(deps, NOW);

    // Assess
    expect(result.stored).toBe(false);
    expect(await deps.summaries.latest()).toEqual(newer);
  });
});

describe('Function: latestSummary', () => {
  it('returns the stored summary', async () => {
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
    const example = AnalyticsSummarySchema.meta()?.example;

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
