import {
  type ChargeResult,
  type DeclineReason,
  PaymentDomainError,
  type PaymentGateway,
  TransientPaymentError,
} from '@shop/payment-domain';
import type Stripe from 'stripe';

/** Where the Stripe API is served: api.stripe.com over HTTPS unless a test points elsewhere. */
export interface StripeEndpoint {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

export interface StripePaymentGatewayOptions {
  /**
   * The secret or restricted key (`sk_…`, `rk_…`), or a function that reads it before each call
   * (a cached Secrets Manager read), so a rotated key is used without waiting for a cold start.
   */
  apiKey: string | (() => Promise<string>);
  /** Refuse Stripe's test-mode keys: set where orders must move real money. */
  requireLiveKey?: boolean;
  /** Per request, in milliseconds; 5000 unless given. */
  timeoutMs?: number;
  endpoint?: StripeEndpoint;
}

/**
 * Stripe refused a request for a reason retrying cannot fix: a bad or revoked key, a missing
 * permission, a request it rejects, a state this gateway does not expect. It propagates like any
 * error (the event is retried, then dead-lettered), so a person sees it.
 */
export class PaymentGatewayError extends PaymentDomainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaymentGatewayError';
  }
}

type ChargeRequest = Parameters<PaymentGateway['charge']>[0];
type RefundRequest = Parameters<PaymentGateway['refund']>[0];
/** The SDK's error classes (`StripeCardError`, …), from the loaded SDK. */
type StripeErrors = Stripe['errors'];

/** The fields of a Stripe error object (a thrown error or a PaymentIntent's last_payment_error). */
interface StripeErrorFields {
  code?: string | null;
  decline_code?: string | null;
  message?: string | null;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const AUTHENTICATION_REQUIRED =
  'The card issuer asks the customer to authenticate this payment (3D Secure), which a charge ' +
  'made by the server cannot do; pay with another card or authenticate in the browser.';

/**
 * Charges cards through Stripe: one PaymentIntent per order, created and confirmed server-side
 * with the order's PaymentMethod (`pm_…` from Stripe.js). The port's idempotency key goes to
 * Stripe as `Idempotency-Key`, so a retried charge or refund returns the first result instead of
 * moving money again (Stripe keeps keys for at least 24 hours; the payment records cover longer).
 *
 * Outcomes: `succeeded` is a charge; a card decline, an unusable PaymentMethod or a card that
 * needs 3D Secure is a decline; rate limits, Stripe 5xx and network errors are
 * TransientPaymentError; anything else Stripe refuses is PaymentGatewayError.
 *
 * @example
 * ```ts
 * const gateway = new StripePaymentGateway({
 *   apiKey: () => secrets.getString('shop/prod/stripe-secret-key'),
 *   requireLiveKey: true,
 * });
 * ```
 */
export class StripePaymentGateway implements PaymentGateway {
  readonly #options: StripePaymentGatewayOptions;
  #client: { key: string; stripe: Stripe } | undefined;

  constructor(options: StripePaymentGatewayOptions) {
    this.#options = options;
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const stripe = await this.#stripe();
    let intent: Stripe.PaymentIntent;
    try {
      intent = await stripe.paymentIntents.create(
        {
          amount: request.amount.amount,
          currency: request.amount.currency.toLowerCase(),
          payment_method: request.token,
          // Cards only: they succeed or fail while we wait. Methods that settle days later
          // (bank debits) would need a pending outcome the port does not have. (The SDK's API
          // version, 2026-10-28.endive, no longer accepts `payment_method_types`.)
          allowed_payment_method_types: ['card'],
          confirm: true,
          metadata: { orderId: request.orderId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
    } catch (error) {
      const reason = declineReasonOf(error, stripe.errors);
      if (reason) return declined(reason, error as StripeErrorFields);
      throw failureOf(error, stripe.errors, 'charge');
    }

    switch (intent.status) {
      case 'succeeded':
        return { status: 'SUCCEEDED', paymentId: intent.id };
      case 'requires_payment_method':
        return declined('DECLINED', intent.last_payment_error ?? {});
      case 'requires_action':
        return { status: 'DECLINED', reason: 'DECLINED', detail: AUTHENTICATION_REQUIRED };
      default:
        throw new PaymentGatewayError(
          `Stripe left PaymentIntent ${intent.id} in status ${intent.status}, which a card ` +
            'charged server-side should not reach',
        );
    }
  }

  async refund(request: RefundRequest): Promise<{ refundId: string }> {
    const stripe = await this.#stripe();
    let refund: Stripe.Refund;
    try {
      refund = await stripe.refunds.create(
        {
          payment_intent: request.paymentId,
          amount: request.amount.amount,
          metadata: { orderId: request.orderId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
    } catch (error) {
      throw failureOf(error, stripe.errors, 'refund');
    }
    // `pending` is normal for cards: the money is on its way back.
    if (refund.status === 'failed' || refund.status === 'canceled') {
      throw new PaymentGatewayError(
        `Stripe refund ${refund.id} of ${request.paymentId} is ${refund.status}` +
          (refund.failure_reason ? ` (${refund.failure_reason})` : ''),
      );
    }
    return { refundId: refund.id };
  }

  /** A client for the current key: built once, and again only when the key has been rotated. */
  async #stripe(): Promise<Stripe> {
    const { apiKey, requireLiveKey, timeoutMs, endpoint } = this.#options;
    const key = (typeof apiKey === 'string' ? apiKey : await apiKey()).trim();
    if (this.#client?.key === key) return this.#client.stripe;

    // Never put the key itself into a message: messages end up in logs.
    if (!/^(sk|rk)_(live|test)_\w/.test(key)) {
      throw new PaymentGatewayError(
        'the Stripe key is not a secret or restricted API key (sk_… or rk_…)',
      );
    }
    if (requireLiveKey && !/^(sk|rk)_live_/.test(key)) {
      throw new PaymentGatewayError(
        'this stage must move real money, but its Stripe key is a test-mode key; store a live key',
      );
    }
    // Loaded at the first call rather than at import: stages on the sandbox never evaluate it.
    const { default: StripeSdk } = await import('stripe');
    const stripe = new StripeSdk(key, {
      // Our own retry policy decides: a failed record is retried with backoff, then dead-lettered.
      // (The SDK still resends once on a connection reset; the idempotency key makes that safe.)
      maxNetworkRetries: 0,
      timeout: timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...endpoint,
    });
    this.#client = { key, stripe };
    return stripe;
  }
}

/** Which decline a Stripe error is, or undefined when it is not about the customer's card. */
function declineReasonOf(error: unknown, errors: StripeErrors): DeclineReason | undefined {
  if (error instanceof errors.StripeCardError) return 'DECLINED';
  if (error instanceof errors.StripeInvalidRequestError) {
    // The token is the customer's input: an unknown or unusable PaymentMethod is their problem.
    if (error.param === 'payment_method') return 'INVALID_TOKEN';
    if (error.code === 'amount_too_large') return 'AMOUNT_LIMIT_EXCEEDED';
    if (error.code === 'amount_too_small') return 'DECLINED';
  }
  return undefined;
}

/** A decline whose detail is Stripe's message (safe to show customers) and its codes. */
function declined(reason: DeclineReason, error: StripeErrorFields): ChargeResult {
  const codes = [...new Set([error.code, error.decline_code].filter(Boolean))].join('/');
  const message = error.message || 'The card was declined.';
  const detail = codes ? `${message} (${codes})` : message;
  // The PaymentFailed event allows 1000 characters.
  return { status: 'DECLINED', reason, detail: detail.slice(0, 1000) };
}

/** Maps a failed call onto the port: retry later, or stop and surface. */
function failureOf(error: unknown, errors: StripeErrors, operation: 'charge' | 'refund'): unknown {
  if (
    error instanceof errors.StripeRateLimitError ||
    error instanceof errors.StripeAPIError ||
    error instanceof errors.StripeConnectionError
  ) {
    return new TransientPaymentError(`Stripe could not ${operation} now: ${error.message}`, {
      cause: error,
    });
  }
  if (error instanceof errors.StripeError) {
    const what = [error.type, error.statusCode && `HTTP ${error.statusCode}`, error.code]
      .filter(Boolean)
      .join(', ');
    return new PaymentGatewayError(`Stripe refused the ${operation} (${what}): ${error.message}`, {
      cause: error,
    });
  }
  return error;
}
