import type { AnalyticsAggregate } from '../../src/aggregate';
import { summaryOf } from '../../src/aggregate';
import { type AnalyticsFact, factKey } from '../../src/facts';
import type {
  AnalyticsDependencies,
  FactStore,
  RollUpCheckpoint,
  RollUpStep,
  RollUpStore,
  SummaryStore,
} from '../../src/ports';
import type { AnalyticsSummary } from '../../src/schemas';

/**
 * The analytics store over Maps, behaving as the ports promise: the first fact of a key wins,
 * new facts stay pending until a committed step folds them, and a commit from a stale version
 * is refused. Values are copied in and out, so a test sees only what went through the ports.
 */
export class InMemoryAnalyticsStore implements FactStore, SummaryStore, RollUpStore {
  readonly #facts = new Map<string, AnalyticsFact>();
  readonly #pending = new Set<string>();
  readonly #confirmedOrders = new Set<string>();
  #checkpoint: (RollUpCheckpoint & { generatedAt: Date }) | undefined;
  #legacySummary: AnalyticsSummary | undefined;
  /** Makes every fact write fail, to simulate the table being unavailable. */
  failWith: Error | undefined;
  /** Runs before each commit takes effect: a test commits a concurrent roll-up here. */
  beforeCommit: (() => Promise<void>) | undefined;
  /** Facts handed out by `pendingFacts`, in the order asked, for asserting batch sizes. */
  readonly pendingReads: number[] = [];

  /** `settled`: facts recorded before incremental roll-ups, as found by the migration. */
  constructor(settled: AnalyticsFact[] = [], legacySummary?: AnalyticsSummary) {
    for (const fact of settled) this.#facts.set(factKey(fact), structuredClone(fact));
    this.#legacySummary = legacySummary && structuredClone(legacySummary);
  }

  async putIfAbsent(fact: AnalyticsFact): Promise<boolean> {
    if (this.failWith) throw this.failWith;
    const key = factKey(fact);
    if (this.#facts.has(key)) return false;
    this.#facts.set(key, structuredClone(fact));
    this.#pending.add(key);
    return true;
  }

  /** Every stored fact, in the order stored. */
  async listAll(): Promise<AnalyticsFact[]> {
    return [...this.#facts.values()].map((fact) => structuredClone(fact));
  }

  /** How many facts no committed step has folded yet. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  async latest(): Promise<AnalyticsSummary | undefined> {
    if (!this.#checkpoint) return this.#legacySummary && structuredClone(this.#legacySummary);
    return summaryOf(this.#checkpoint.aggregate, this.#checkpoint.generatedAt);
  }

  async checkpoint(): Promise<RollUpCheckpoint | undefined> {
    return (
      this.#checkpoint && {
        version: this.#checkpoint.version,
        aggregate: structuredClone(this.#checkpoint.aggregate),
      }
    );
  }

  async *settledFacts(): AsyncIterable<AnalyticsFact[]> {
    const settled = [...this.#facts].filter(([key]) => !this.#pending.has(key));
    // Pages of two, so the build is seen to fold page by page.
    for (let start = 0; start < settled.length; start += 2) {
      yield settled.slice(start, start + 2).map(([, fact]) => structuredClone(fact));
    }
  }

  async pendingFacts(limit: number): Promise<AnalyticsFact[]> {
    const keys = [...this.#pending].slice(0, limit);
    this.pendingReads.push(keys.length);
    return keys.map((key) => structuredClone(this.#facts.get(key) as AnalyticsFact));
  }

  async confirmedOrdersAmong(orderIds: readonly string[]): Promise<Set<string>> {
    return new Set(orderIds.filter((orderId) => this.#confirmedOrders.has(orderId)));
  }

  async rememberConfirmedOrders(orderIds: readonly string[]): Promise<void> {
    for (const orderId of orderIds) this.#confirmedOrders.add(orderId);
  }

  async commit(step: RollUpStep): Promise<boolean> {
    await this.beforeCommit?.();
    if (this.#checkpoint?.version !== step.previousVersion) return false;
    this.#checkpoint = {
      version: (step.previousVersion ?? 0) + 1,
      aggregate: structuredClone(step.aggregate) as AnalyticsAggregate,
      generatedAt: step.generatedAt,
    };
    for (const fact of step.folded) this.#pending.delete(factKey(fact));
    for (const orderId of step.confirmedOrderIds) this.#confirmedOrders.add(orderId);
    return true;
  }
}

export interface FakeDependencies extends AnalyticsDependencies {
  facts: InMemoryAnalyticsStore;
  summaries: InMemoryAnalyticsStore;
  rollUps: InMemoryAnalyticsStore;
}

/** `facts`: recorded before incremental roll-ups; `summary`: the summary the old roll-up left. */
export function fakeDependencies(
  options: { facts?: AnalyticsFact[]; summary?: AnalyticsSummary } = {},
): FakeDependencies {
  const store = new InMemoryAnalyticsStore(options.facts, options.summary);
  return { facts: store, summaries: store, rollUps: store };
}
