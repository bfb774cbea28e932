export {
  type FieldIssue,
  InventoryDomainError,
  InventoryValidationError,
  ProductNotFoundError,
} from './errors';
export type {
  HoldResult,
  InventoryDependencies,
  ProductStore,
  ReservationDecision,
  ReservationDecisions,
  ReservationFailure,
  StockChange,
  StockLine,
} from './ports';
export {
  ListProductsQuerySchema,
  type Product,
  type ProductPage,
  ProductPageSchema,
  ProductSchema,
} from './product';
export { getProduct, listProducts, recordThumbnail } from './useCases/catalog';
export { reserveStock } from './useCases/reserveStock';
export { commitReservation, releaseReservation } from './useCases/settleReservation';
