import { createHash } from 'node:crypto';
import type { Money } from '@shop/contracts';
import {
  type ChargeResult,
  type PaymentGateway,
  TransientPaymentError,
} from '@shop/payment-domain';

/**
 * Test tokens of the sandbox gateway. Anything else is declined as INVALID_TOKEN.
 *
 * | token                            | result                                             |
 * |----------------------------------|----------------------------------------------------|
 * | `tok_sandbox_success`            | charged                                            |
 * | `tok_sandbox_declined`           | declined (DECLINED)                                |
 * | `tok_sandbox_transient`          | provider unavailable on the first attempt, then charged |
 * | `tok_sandbox_always_unavailable` | provider unavailable every time (ends in the DLQ)  |
 * Any amount above the limit is declined as AMOUNT_LIMIT_EXCEEDED.
 */
export const SANDBOX_TOKENS = {
  success: 'tok_sandbox_success',
  declined: 'tok_sandbox_declined',
  transient: 'tok_sandbox_transient',
  alwaysUnavailable: 'tok_sandbox_always_unavailable',
} as const;

/** Ids derived from the idempotency key: the same request always gets the same answer. */
const idFor = (prefix: string, key: string) =>
  `${prefix}_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

/**
 * A deterministic stand-in for a card processor: no network, answers decided by the token, the
 * amount and the attempt, so every saga path can be exercised on purpose. Replace it with a real
 * provider's adapter behind the same PaymentGateway port.
 */
export class SandboxPaymentGateway implements PaymentGateway {
  constructor(private readonly options: { amountLimit: Money }) {}

  async charge(request: {
    idempotencyKey: string;
    amount: Money;
    token: string;
    attempt: number;
  }): Promise<ChargeResult> {
    const { amountLimit } = this.options;
    switch (request.token) {
      case SANDBOX_TOKENS.transient:
        if (request.attempt <= 1)
          throw new TransientPaymentError('sandbox: provider unavailable (first attempt)');
        break;
      case SANDBOX_TOKENS.alwaysUnavailable:
        throw new TransientPaymentError('sandbox: provider unavailable');
      case SANDBOX_TOKENS.declined:
        return { status: 'DECLINED', reason: 'DECLINED', detail: 'The card was declined.' };
      case SANDBOX_TOKENS.success:
        break;
      default:
        return {
          status: 'DECLINED',
          reason: 'INVALID_TOKEN',
          detail: 'The payment token is not valid.',
        };
    }
    if (
      request.amount.currency === amountLimit.currency &&
      request.amount.amount > amountLimit.amount
    ) {
      return {
        status: 'DECLINED',
        reason: 'AMOUNT_LIMIT_EXCEEDED',
        detail: `The amount is above the limit of ${amountLimit.amount / 100} ${amountLimit.currency}.`,
      };
    }
    return { status: 'SUCCEEDED', paymentId: idFor('pay', request.idempotencyKey) };
  }

  async refund(request: { idempotencyKey: string }) {
    return { refundId: idFor('re', request.idempotencyKey) };
  }
}
