export {
  type FieldIssue,
  OrderAccessError,
  OrderDomainError,
  OrderNotFoundError,
  OrderStateError,
  OrderValidationError,
  OrderVersionConflictError,
} from './errors';
export {
  applyOutcome,
  newOrder,
  type Order,
  type OrderLine,
  type OrderOutcomeReport,
  type OrderOutcomes,
  type OutcomeApplied,
  orderTotal,
  type ParkedPublication,
  toOrderView,
} from './order';
export type {
  Clock,
  OrderCaller,
  OrderDependencies,
  OrderPageRequest,
  OrderRepository,
  StoredOrderPage,
} from './ports';
export * from './schemas';
export { getOrder } from './useCases/getOrder';
export { listOrders } from './useCases/listOrders';
export { orderCreatedEvent } from './useCases/orderCreatedEvent';
export { orderDecisionEvent } from './useCases/orderDecisionEvent';
export {
  listParkedOrders,
  type ParkedOrder,
  type RetryParkedResult,
  retryParkedOrders,
} from './useCases/parkedOrders';
export { type PlaceOrderResult, placeOrder } from './useCases/placeOrder';
export {
  DEFAULT_MAX_PUBLISH_ATTEMPTS,
  publishPendingOrders,
  type SweepResult,
} from './useCases/publishPendingOrders';
export { publishDecision, recordOutcome, reportOf } from './useCases/recordOutcome';
