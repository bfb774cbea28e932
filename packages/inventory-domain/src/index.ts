export {
  type FieldIssue,
  InsufficientStockError,
  InventoryDomainError,
  InventoryValidationError,
  ProductAlreadyExistsError,
  ProductNotFoundError,
  ProductVersionMismatchError,
} from './errors';
export type {
  Clock,
  HoldResult,
  InventoryDependencies,
  ProductDetails,
  ProductStore,
  ReservationDecision,
  ReservationDecisions,
  ReservationFailure,
  StockAdjustmentResult,
  StockChange,
  StockLine,
  VersionedWriteResult,
} from './ports';
export { isPriceInEffectAt, priceHistoryWith, priceInEffectAt } from './pricing';
export {
  ListProductsQuerySchema,
  PRICE_HISTORY_LENGTH,
  type PriceChange,
  type Product,
  type ProductPage,
  ProductPageSchema,
  ProductSchema,
  type StoredProduct,
  toProduct,
} from './product';
export {
  type ChangeProductRequest,
  ChangeProductRequestSchema,
  type CreateProductRequest,
  CreateProductRequestSchema,
  NewProductIdSchema,
  type StockAdjustmentReason,
  StockAdjustmentReasonSchema,
  type StockAdjustmentRequest,
  StockAdjustmentRequestSchema,
} from './requests';
export { type AdjustStockResult, adjustStock } from './useCases/adjustStock';
export { getProduct, listProducts, recordThumbnail } from './useCases/catalog';
export { changeProduct } from './useCases/changeProduct';
export { createProduct } from './useCases/createProduct';
export { reserveStock } from './useCases/reserveStock';
export { commitReservation, releaseReservation } from './useCases/settleReservation';
