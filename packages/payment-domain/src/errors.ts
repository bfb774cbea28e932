/** Base error of the payment domain. */
export class PaymentDomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentDomainError';
  }
}

/** The provider could not answer now (timeout, 5xx, rate limit): retrying may succeed. */
export class TransientPaymentError extends PaymentDomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransientPaymentError';
  }
}
