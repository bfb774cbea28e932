import type { EventDataInput } from '../../src/catalogue';
import { ContractsValidationError } from '../../src/errors';

export const ORDER_ID = '01JD6Z8Q4J7W6E1N2M3K4P5R6S';
export const CORRELATION_ID = 'corr-2f1c9a';
export const EVENT_ID = '6f1c2b0a-3d4e-4f5a-8b6c-7d8e9f0a1b2c';

/** A valid OrderCreated payload; spread and override to break one field at a time. */
export function orderCreatedData(): EventDataInput<'OrderCreated'> {
  return {
    orderId: ORDER_ID,
    customerId: 'cust-42',
    customerEmail: 'ada@example.com',
    lines: [
      {
        productId: 'prod-espresso-beans',
        quantity: 2,
        unitPrice: { amount: 1450, currency: 'EUR' },
      },
      { productId: 'prod-milk-frother', quantity: 1, unitPrice: { amount: 3999, currency: 'EUR' } },
    ],
    total: { amount: 6899, currency: 'EUR' },
    paymentToken: 'tok_sandbox_success',
  };
}

/** A valid PaymentFailed envelope as it travels on the bus (plain object, before parsing). */
export function paymentFailedEnvelope(overrides: Record<string, unknown> = {}) {
  return {
    eventId: EVENT_ID,
    eventType: 'PaymentFailed',
    version: 1,
    occurredAt: '2024-05-01T10:00:00.000Z',
    correlationId: CORRELATION_ID,
    source: 'payment',
    data: { orderId: ORDER_ID, reason: 'DECLINED', detail: 'The card was declined.' },
    ...overrides,
  };
}

/** The body SQS delivers when the SNS subscription does not use raw message delivery. */
export function snsNotificationBody(message: string, overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'd88d4479-6ec0-54fe-b63f-1cf9df4bb16e',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:shop-event-bus',
    Message: message,
    Timestamp: '2024-05-01T10:00:00.123Z',
    SignatureVersion: '1',
    Signature: 'x',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
    ...overrides,
  });
}

/**
 * Runs `fn`, expects it to throw a ContractsValidationError, and returns it so a test can look at
 * its issues.
 */
export function catchValidationError(fn: () => unknown): ContractsValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractsValidationError);
    return error as ContractsValidationError;
  }
  throw new Error('expected a ContractsValidationError, but nothing was thrown');
}

/** The paths of an error's issues, for compact assertions. */
export const issuePaths = (error: ContractsValidationError) => error.issues.map((i) => i.path);
