export { PaymentDomainError, TransientPaymentError } from './errors';
export type {
  ChargeResult,
  DeclineReason,
  PaymentDependencies,
  PaymentGateway,
  PaymentRecord,
  PaymentRecords,
} from './ports';
export { chargeOrder, publishOutcome } from './useCases/chargeOrder';
export { refundOrder } from './useCases/refundOrder';
