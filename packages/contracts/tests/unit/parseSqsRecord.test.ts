import { parseSqsRecord } from '../../src/parseEvent';
import {
  catchValidationError,
  issuePaths,
  ORDER_ID,
  paymentFailedEnvelope,
  snsNotificationBody,
} from '../helpers/fixtures';

describe('Function: parseSqsRecord', () => {
  it('parses the event inside an SNS notification envelope', () => {
    // Prepare
    const record = { body: snsNotificationBody(JSON.stringify(paymentFailedEnvelope())) };

    // Act
    const event = parseSqsRecord(record);

    // Assess
    expect(event).toEqual(paymentFailedEnvelope());
  });

  it('parses a notification that carries only the fields SNS must send', () => {
    // Prepare
    const body = JSON.stringify({
      Type: 'Notification',
      MessageId: 'd88d4479-6ec0-54fe-b63f-1cf9df4bb16e',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:shop-event-bus',
      Message: JSON.stringify(paymentFailedEnvelope()),
      Timestamp: '2024-05-01T10:00:00.123Z',
    });

    // Act
    const event = parseSqsRecord({ body });

    // Assess
    expect(event.eventType).toBe('PaymentFailed');
  });

  it('parses a raw message body (raw message delivery)', () => {
    const event = parseSqsRecord({ body: JSON.stringify(paymentFailedEnvelope()) });

    expect(event).toEqual(paymentFailedEnvelope());
  });

  it('applies the accept option to an event inside a notification', () => {
    const record = { body: snsNotificationBody(JSON.stringify(paymentFailedEnvelope())) };

    const error = catchValidationError(() => parseSqsRecord(record, { accept: ['OrderCreated'] }));

    expect(error.message).toMatch(/^unexpected event/);
  });

  it('returns the event when the accept option includes its type', () => {
    const record = { body: snsNotificationBody(JSON.stringify(paymentFailedEnvelope())) };

    const event = parseSqsRecord(record, { accept: ['PaymentProcessed', 'PaymentFailed'] });

    expect(event.data).toEqual({
      orderId: ORDER_ID,
      reason: 'DECLINED',
      detail: 'The card was declined.',
    });
  });

  it('applies the accept option to a raw message', () => {
    const error = catchValidationError(() =>
      parseSqsRecord(
        { body: JSON.stringify(paymentFailedEnvelope()) },
        { accept: ['InventoryReserved'] },
      ),
    );

    expect(issuePaths(error)).toEqual(['eventType']);
  });

  it('rejects a body that is not JSON', () => {
    const error = catchValidationError(() => parseSqsRecord({ body: 'hello' }));

    expect(error.message).toMatch(/^SQS message body is not JSON/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('rejects a notification whose Message is not JSON', () => {
    const error = catchValidationError(() =>
      parseSqsRecord({ body: snsNotificationBody('not json') }),
    );

    expect(error.message).toMatch(/^SNS Message is not JSON/);
  });

  it('rejects a notification whose event payload is invalid and names the field', () => {
    // Prepare
    const message = JSON.stringify(
      paymentFailedEnvelope({ data: { orderId: '', reason: 'DECLINED', detail: 'x' } }),
    );

    // Act
    const error = catchValidationError(() =>
      parseSqsRecord({ body: snsNotificationBody(message) }),
    );

    // Assess
    expect(issuePaths(error)).toEqual(['data.orderId']);
  });

  it('rejects a raw message that is not an event envelope', () => {
    const error = catchValidationError(() => parseSqsRecord({ body: '{"hello":"world"}' }));

    expect(error.message).toMatch(/^invalid event envelope/);
  });
});
