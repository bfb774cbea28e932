import type { EventPublisher, Money } from '@shop/contracts';

export type DeclineReason = 'DECLINED' | 'AMOUNT_LIMIT_EXCEEDED' | 'INVALID_TOKEN';

export type ChargeResult =
  | { status: 'SUCCEEDED'; paymentId: string }
  | { status: 'DECLINED'; reason: DeclineReason; detail: string };

/**
 * Port: the payment provider. A charge or refund with an idempotency key the provider has seen
 * returns the first result instead of moving money again (as Stripe, Adyen and others do).
 * Throws TransientPaymentError when the provider cannot answer now; the caller retries.
 * Any other error (a rejected key, a request the provider refuses) is one retrying cannot fix:
 * it propagates the same way and ends in the dead-letter queue for a person to look at.
 */
export interface PaymentGateway {
  charge(request: {
    idempotencyKey: string;
    /** For the provider's records (metadata), so a payment can be traced to its order. */
    orderId: string;
    amount: Money;
    token: string;
    /** Delivery attempt of the triggering event, 1 for the first. */
    attempt: number;
  }): Promise<ChargeResult>;
  refund(request: {
    idempotencyKey: string;
    orderId: string;
    paymentId: string;
    amount: Money;
  }): Promise<{ refundId: string }>;
}

/** What payment knows about an order's money. */
export type PaymentRecord =
  | {
      orderId: string;
      status: 'PROCESSED';
      paymentId: string;
      amount: Money;
      customerEmail: string;
    }
  | { orderId: string; status: 'FAILED'; reason: DeclineReason; detail: string }
  | {
      orderId: string;
      status: 'REFUNDED';
      paymentId: string;
      amount: Money;
      refundId: string;
      charged: boolean;
    }
  /** Cancelled before payment saw OrderCreated: a late OrderCreated must not charge. */
  | { orderId: string; status: 'CANCELLED_FIRST' };

export interface PaymentRecords {
  get(orderId: string): Promise<PaymentRecord | undefined>;
  /** Stores the record unless one exists; returns the one that is stored. */
  create(record: PaymentRecord): Promise<PaymentRecord>;
  /** Replaces a record in state `from`; returns the stored record (unchanged if it had moved). */
  transition(from: PaymentRecord['status'], to: PaymentRecord): Promise<PaymentRecord>;
}

export interface PaymentDependencies {
  gateway: PaymentGateway;
  payments: PaymentRecords;
  events: EventPublisher;
}
