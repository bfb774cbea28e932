export {
  type FieldIssue,
  OrderDomainError,
  OrderNotFoundError,
  OrderStateError,
  OrderValidationError,
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
  toOrderView,
} from './order';
export type {
  Clock,
  OrderDependencies,
  OrderPageRequest,
  OrderRepository,
  StoredOrderPage,
} from './ports';
export * from './schemas';
export { getOrder } from './useCases/getOrder';
export { listOrders } from './useCases/listOrders';
export { orderCreatedEvent } from './useCases/orderCreatedEvent';
export { type PlaceOrderResult, placeOrder } from './useCases/placeOrder';
export { publishPendingOrders, type SweepResult } from './useCases/publishPendingOrders';
export { toFieldIssues } from './validation';
