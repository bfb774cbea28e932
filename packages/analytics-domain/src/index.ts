export {
  type AnalyticsAggregate,
  emptyAggregate,
  type FoldResult,
  foldFacts,
  type ProductTotals,
  summaryOf,
} from './aggregate';
export { ANALYTICS_EVENT_TYPES, type AnalyticsEvent, type AnalyticsEventType } from './events';
export {
  type AnalyticsFact,
  type CancellationFact,
  factKey,
  factsOf,
  type SaleFact,
  type StockChangeFact,
} from './facts';
export type {
  AnalyticsDependencies,
  FactStore,
  RollUpCheckpoint,
  RollUpStep,
  RollUpStore,
  SummaryStore,
} from './ports';
export * from './schemas';
export { summarize } from './summary';
export { latestSummary } from './useCases/latestSummary';
export { type RecordEventResult, recordEvent } from './useCases/recordEvent';
export { type RollUpOptions, type RollUpResult, rollUp } from './useCases/rollUp';
