export {
  maxLengthOf,
  type SummariseListOptions,
  summariseList,
  truncateText,
} from './boundedText';
export { type BuildEventOptions, buildEvent } from './buildEvent';
export {
  type EventData,
  type EventDataInput,
  type EventType,
  eventCatalogue,
  eventDefinitions,
  eventTypes,
  isEventType,
} from './catalogue';
export { defineEvent, type EventDefinition, type PreviousEventVersion } from './defineEvent';
export { deterministicEventId } from './deterministicEventId';
export type { EventPublisher } from './EventPublisher';
export { EventEnvelopeSchema, type ShopEvent } from './envelope';
export { type ContractIssue, ContractsError, ContractsValidationError } from './errors';
export { ReservationFailureSchema, StockChangeCauseSchema } from './events/inventory';
export { OrderCancellationReasonSchema } from './events/order';
export {
  CustomerIdSchema,
  OrderIdSchema,
  OrderLineSchema,
  ProductIdSchema,
  StockLineSchema,
} from './events/shared';
export { type IssuePlace, toIssues } from './issues';
export { formatMoney, lineTotal, type Money, MoneySchema, sumMoney } from './money';
export {
  type ParseEventOptions,
  parseEvent,
  parseSqsRecord,
  type SqsRecordLike,
} from './parseEvent';
export {
  findUnsafeCharacter,
  identifier,
  safeText,
  type UnsafeCharacter,
  type UnsafeCharacterKind,
} from './safeText';
export { type SnsSqsNotification, SnsSqsNotificationSchema } from './snsNotification';
