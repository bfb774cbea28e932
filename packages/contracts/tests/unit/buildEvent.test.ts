import { buildEvent } from '../../src/buildEvent';
import { eventCatalogue } from '../../src/catalogue';
import { EventEnvelopeSchema } from '../../src/envelope';
import { ContractsValidationError } from '../../src/errors';
import {
  CORRELATION_ID,
  catchValidationError,
  EVENT_ID,
  issuePaths,
  ORDER_ID,
  orderCreatedData,
} from '../helpers/fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Function: buildEvent', () => {
  it('wraps valid data in an envelope with the version and source of the catalogue', () => {
    // Prepare
    const data = orderCreatedData();
    const occurredAt = new Date('2024-05-01T10:00:00.000Z');

    // Act
    const event = buildEvent('OrderCreated', data, {
      correlationId: CORRELATION_ID,
      eventId: EVENT_ID,
      occurredAt,
    });

    // Assess
    expect(event).toEqual({
      eventId: EVENT_ID,
      eventType: 'OrderCreated',
      version: eventCatalogue.OrderCreated.version,
      occurredAt: '2024-05-01T10:00:00.000Z',
      correlationId: CORRELATION_ID,
      source: 'order',
      data,
    });
    expect(event.version).toBe(1);
  });

  it('takes version and source from the definition of each event type', () => {
    const event = buildEvent(
      'PaymentFailed',
      { orderId: ORDER_ID, reason: 'DECLINED', detail: 'Declined' },
      { correlationId: CORRELATION_ID },
    );

    expect(event.source).toBe('payment');
    expect(event.version).toBe(eventCatalogue.PaymentFailed.version);
    expect(event.eventType).toBe('PaymentFailed');
  });

  it('generates a fresh UUID eventId and the current time when none are given', () => {
    // Prepare
    const before = Date.now();

    // Act
    const first = buildEvent('OrderCreated', orderCreatedData(), { correlationId: CORRELATION_ID });
    const second = buildEvent('OrderCreated', orderCreatedData(), {
      correlationId: CORRELATION_ID,
    });

    // Assess
    expect(first.eventId).toMatch(UUID);
    expect(second.eventId).toMatch(UUID);
    expect(first.eventId).not.toBe(second.eventId);
    const occurredAt = Date.parse(first.occurredAt);
    expect(occurredAt).toBeGreaterThanOrEqual(before);
    expect(occurredAt).toBeLessThanOrEqual(Date.now());
  });

  it('produces an envelope that the envelope schema accepts', () => {
    const event = buildEvent('OrderCreated', orderCreatedData(), { correlationId: CORRELATION_ID });

    expect(EventEnvelopeSchema.safeParse(event).success).toBe(true);
  });

  it('serialises occurredAt as an ISO 8601 UTC timestamp', () => {
    const event = buildEvent('OrderCreated', orderCreatedData(), {
      correlationId: CORRELATION_ID,
      occurredAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
    });

    expect(event.occurredAt).toBe('2024-01-02T03:04:05.006Z');
  });

  it('rejects a quantity of zero and names the field under data', () => {
    // Prepare
    const data = orderCreatedData();
    data.lines = data.lines.map((line, i) => (i === 0 ? { ...line, quantity: 0 } : line));

    // Act
    const error = catchValidationError(() =>
      buildEvent('OrderCreated', data, { correlationId: CORRELATION_ID }),
    );

    // Assess
    expect(issuePaths(error)).toEqual(['data.lines.0.quantity']);
    expect(error.message).toMatch(/^invalid OrderCreated v1: data\.lines\.0\.quantity: /);
  });

  it('names every offending field, nested ones with dotted paths', () => {
    // Prepare
    const data = orderCreatedData();
    data.customerEmail = 'not-an-email';
    data.lines = [
      ...data.lines.slice(0, 1),
      { productId: '', quantity: 1.5, unitPrice: { amount: 100, currency: 'eur' } },
    ];

    // Act
    const error = catchValidationError(() =>
      buildEvent('OrderCreated', data, { correlationId: CORRELATION_ID }),
    );

    // Assess
    expect(issuePaths(error).sort()).toEqual(
      [
        'data.customerEmail',
        'data.lines.1.productId',
        'data.lines.1.quantity',
        'data.lines.1.unitPrice.currency',
      ].sort(),
    );
    for (const issue of error.issues) expect(issue.message).not.toBe('');
  });

  it('rejects fields the schema does not know (strict payloads)', () => {
    const data = { ...orderCreatedData(), cardNumber: '4242424242424242' };

    const error = catchValidationError(() =>
      buildEvent('OrderCreated', data, { correlationId: CORRELATION_ID }),
    );

    expect(issuePaths(error)).toEqual(['data.cardNumber']);
    expect(error.issues[0]?.message).toContain('cardNumber');
  });

  it('throws an error that is a ContractsValidationError and an Error with its name set', () => {
    const error = catchValidationError(() =>
      buildEvent('PaymentFailed', { orderId: ORDER_ID, reason: 'NOPE', detail: 'x' } as never, {
        correlationId: CORRELATION_ID,
      }),
    );

    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ContractsValidationError);
    expect(error.name).toBe('ContractsValidationError');
    expect(issuePaths(error)).toEqual(['data.reason']);
  });
});
