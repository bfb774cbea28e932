import { type AnalyticsFact, factKey } from '../../src/facts';
import type { AnalyticsDependencies, FactStore, SummaryStore } from '../../src/ports';
import type { AnalyticsSummary } from '../../src/schemas';

/**
 * FactStore over a Map, behaving as the port promises: the first fact of a key wins and later
 * ones report `false`. Facts are copied in and out, so a test sees only what went through the port.
 */
export class InMemoryFactStore implements FactStore {
  readonly #facts = new Map<string, AnalyticsFact>();
  /** Makes every write fail, to simulate the table being unavailable. */
  failWith: Error | undefined;

  constructor(facts: AnalyticsFact[] = []) {
    for (const fact of facts) this.#facts.set(factKey(fact), structuredClone(fact));
  }

  async putIfAbsent(fact: AnalyticsFact): Promise<boolean> {
    if (this.failWith) throw this.failWith;
    const key = factKey(fact);
    if (this.#facts.has(key)) return false;
    this.#facts.set(key, structuredClone(fact));
    return true;
  }

  async listAll(): Promise<AnalyticsFact[]> {
    return [...this.#facts.values()].map((fact) => structuredClone(fact));
  }
}

/** SummaryStore holding one summary; an older one than it holds is refused, as the port says. */
export class InMemorySummaryStore implements SummaryStore {
  #latest: AnalyticsSummary | undefined;

  constructor(latest?: AnalyticsSummary) {
    this.#latest = latest && structuredClone(latest);
  }

  async saveIfNewer(summary: AnalyticsSummary): Promise<boolean> {
    if (this.#latest && this.#latest.generatedAt > summary.generatedAt) return false;
    this.#latest = structuredClone(summary);
    return true;
  }

  async latest(): Promise<AnalyticsSummary | undefined> {
    return this.#latest && structuredClone(this.#latest);
  }
}

export interface FakeDependencies extends AnalyticsDependencies {
  facts: InMemoryFactStore;
  summaries: InMemorySummaryStore;
}

export function fakeDependencies(
  options: { facts?: AnalyticsFact[]; summary?: AnalyticsSummary } = {},
): FakeDependencies {
  return {
    facts: new InMemoryFactStore(options.facts),
    summaries: new InMemorySummaryStore(options.summary),
  };
}
