import type { AnalyticsEvent } from '../events';
import { factsOf } from '../facts';
import type { AnalyticsDependencies } from '../ports';

export interface RecordEventResult {
  /** Facts stored by this call. */
  recorded: number;
  /** Facts that were stored before: a redelivery, or the same outcome published twice. */
  alreadyRecorded: number;
}

/**
 * Records the facts an event establishes (see `factsOf`). Each is stored only if absent, so
 * recording an event again, or after a partial failure, stores nothing twice: the consumer is
 * idempotent by its writes and needs no idempotency table.
 *
 * @throws whatever the store throws; the event is then retried and its stored facts are skipped.
 * @example
 * ```ts
 * const { recorded } = await recordEvent(deps, event); // 0 on a redelivery
 * ```
 */
export async function recordEvent(
  deps: Pick<AnalyticsDependencies, 'facts'>,
  event: AnalyticsEvent,
): Promise<RecordEventResult> {
  // Independent conditional writes: safe in parallel, and a retry re-tries only what is missing.
  const stored = await Promise.all(factsOf(event).map((fact) => deps.facts.putIfAbsent(fact)));
  const recorded = stored.filter(Boolean).length;
  return { recorded, alreadyRecorded: stored.length - recorded };
}
