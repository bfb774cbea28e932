import fc from 'fast-check';
import { emptyAggregate, foldFacts, summaryOf } from '../../src/aggregate';
import { type AnalyticsFact, factKey } from '../../src/facts';
import { summarize } from '../../src/summary';
import { factArbitrary } from '../helpers/arbitraries';
import { cancellationFact, saleFact } from '../helpers/fixtures';

// A hundred generated cases each: under coverage on a busy 2-core CI machine they take several
// times the second or so they take here, past jest's 5 s default.
jest.setTimeout(30_000);

const NOW = new Date('2026-11-27T10:05:00.000Z');

/** Distinct facts (by key), as a table holds them. */
const distinctFacts = fc.uniqueArray(factArbitrary, { selector: factKey, maxLength: 40 });

describe('Function: foldFacts', () => {
  it('leaves the aggregate it was given as it was', () => {
    const before = foldFacts(emptyAggregate(), [saleFact()], new Set()).aggregate;
    const copy = structuredClone(before);

    foldFacts(before, [saleFact({ orderId: 'order-2' }), cancellationFact()], new Set());

    expect(before).toEqual(copy);
  });

  it('does not count an order it is told was counted before', () => {
    const { aggregate, newlyConfirmedOrderIds } = foldFacts(
      emptyAggregate(),
      [saleFact({ orderId: 'order-1' }), saleFact({ orderId: 'order-2' })],
      new Set(['order-1']),
    );

    expect(aggregate.orders.confirmed).toBe(1);
    expect(newlyConfirmedOrderIds).toEqual(['order-2']);
  });

  it('counts a cancellation reason an aggregate stored before the reason existed', () => {
    const stored = emptyAggregate();
    delete (stored.orders.cancelledByReason as Partial<Record<string, number>>).PAYMENT_FAILED;

    const { aggregate } = foldFacts(stored, [cancellationFact()], new Set());

    expect(aggregate.orders.cancelledByReason.PAYMENT_FAILED).toBe(1);
  });

  it('gives what one full recount gives, however the facts are split into folds', () => {
    const splitFacts = distinctFacts.chain((facts) =>
      fc.tuple(fc.constant(facts), fc.array(fc.nat(facts.length), { maxLength: 5 })),
    );

    fc.assert(
      fc.property(splitFacts, ([facts, cuts]) => {
        // Prepare
        const bounds = [0, ...[...cuts].sort((a, b) => a - b), facts.length];
        let aggregate = emptyAggregate();
        const counted = new Set<string>();

        // Act
        for (let i = 1; i < bounds.length; i += 1) {
          const batch: AnalyticsFact[] = facts.slice(bounds[i - 1], bounds[i]);
          const fold = foldFacts(aggregate, batch, counted);
          aggregate = fold.aggregate;
          for (const orderId of fold.newlyConfirmedOrderIds) counted.add(orderId);
        }

        // Assess
        expect(summaryOf(aggregate, NOW)).toEqual(summarize(facts, NOW));
      }),
    );
  });
});
