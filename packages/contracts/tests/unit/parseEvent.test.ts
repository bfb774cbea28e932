import { buildEvent } from '../../src/buildEvent';
import { ContractsValidationError } from '../../src/errors';
import { parseEvent } from '../../src/parseEvent';
import {
  CORRELATION_ID,
  catchValidationError,
  EVENT_ID,
  issuePaths,
  ORDER_ID,
  orderCreatedData,
  paymentFailedEnvelope,
} from '../helpers/fixtures';

describe('Function: parseEvent', () => {
  it('parses an envelope given as an object', () => {
    const event = parseEvent(paymentFailedEnvelope());

    expect(event).toEqual(paymentFailedEnvelope());
  });

  it('parses an envelope given as JSON text', () => {
    const event = parseEvent(JSON.stringify(paymentFailedEnvelope()));

    expect(event).toEqual(paymentFailedEnvelope());
  });

  it('round-trips an event built by buildEvent through JSON', () => {
    // Prepare
    const built = buildEvent('OrderCreated', orderCreatedData(), {
      correlationId: CORRELATION_ID,
      eventId: EVENT_ID,
    });

    // Act
    const parsed = parseEvent(JSON.stringify(built), { accept: ['OrderCreated'] });

    // Assess
    expect(parsed).toEqual(built);
    expect(parsed.eventType).toBe('OrderCreated');
  });

  it('accepts an occurredAt with a UTC offset', () => {
    const event = parseEvent(paymentFailedEnvelope({ occurredAt: '2024-05-01T12:00:00+02:00' }));

    expect(event.occurredAt).toBe('2024-05-01T12:00:00+02:00');
  });

  it('rejects text that is not JSON, keeping the parser error as cause', () => {
    const error = catchValidationError(() => parseEvent('{"eventId": '));

    expect(error.message).toMatch(/^event is not JSON/);
    expect(error.issues).toEqual([{ path: '', message: expect.any(String) }]);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ['a missing eventId', { eventId: undefined }, 'eventId'],
    ['an eventId that is not a UUID', { eventId: 'evt-1' }, 'eventId'],
    ['an empty eventType', { eventType: '' }, 'eventType'],
    ['a version of zero', { version: 0 }, 'version'],
    ['a fractional version', { version: 1.5 }, 'version'],
    ['an occurredAt that is not a timestamp', { occurredAt: 'yesterday' }, 'occurredAt'],
    ['an empty correlationId', { correlationId: '' }, 'correlationId'],
    ['a correlationId over 128 characters', { correlationId: 'c'.repeat(129) }, 'correlationId'],
    ['a missing source', { source: undefined }, 'source'],
  ])('rejects an envelope with %s and names the field', (_case, overrides, path) => {
    const error = catchValidationError(() => parseEvent(paymentFailedEnvelope(overrides)));

    expect(error.message).toMatch(/^invalid event envelope/);
    expect(issuePaths(error)).toEqual([path]);
  });

  it('rejects envelope fields it does not know', () => {
    const error = catchValidationError(() =>
      parseEvent(paymentFailedEnvelope({ traceparent: '00-abc' })),
    );

    expect(error.message).toMatch(/^invalid event envelope/);
    expect(error.issues[0]?.message).toContain('traceparent');
  });

  it.each([
    ['null', null],
    ['an array', [paymentFailedEnvelope()]],
    ['a number', 42],
    ['JSON text of a string', '"PaymentFailed"'],
  ])('rejects %s as an envelope', (_case, input) => {
    const error = catchValidationError(() => parseEvent(input));

    expect(error.message).toMatch(/^invalid event envelope/);
  });

  it('rejects an event type that is not in the catalogue', () => {
    const error = catchValidationError(() =>
      parseEvent(paymentFailedEnvelope({ eventType: 'OrderShipped' })),
    );

    expect(error.issues).toEqual([
      { path: 'eventType', message: '"OrderShipped" is not in the catalogue' },
    ]);
  });

  it.each(['toString', 'constructor', '__proto__'])(
    'does not mistake the inherited property %s for an event type',
    (eventType) => {
      const error = catchValidationError(() => parseEvent(paymentFailedEnvelope({ eventType })));

      expect(issuePaths(error)).toEqual(['eventType']);
    },
  );

  it('returns an accepted event type', () => {
    const event = parseEvent(paymentFailedEnvelope(), {
      accept: ['PaymentProcessed', 'PaymentFailed'],
    });

    expect(event.eventType).toBe('PaymentFailed');
  });

  it('rejects a valid event whose type the consumer does not accept', () => {
    const error = catchValidationError(() =>
      parseEvent(paymentFailedEnvelope(), { accept: ['OrderCreated', 'OrderCancelled'] }),
    );

    expect(error.message).toMatch(/^unexpected event/);
    expect(error.issues).toEqual([
      { path: 'eventType', message: '"PaymentFailed" is not one of OrderCreated, OrderCancelled' },
    ]);
  });

  it('rejects a version newer than the catalogue defines', () => {
    const error = catchValidationError(() => parseEvent(paymentFailedEnvelope({ version: 2 })));

    expect(error.message).toMatch(/^unsupported event version/);
    expect(error.issues).toEqual([
      {
        path: 'version',
        message: 'PaymentFailed v2 is newer than this consumer knows (it accepts v1)',
      },
    ]);
  });

  it('rejects a payload that breaks the schema and names the field under data', () => {
    const error = catchValidationError(() =>
      parseEvent(
        paymentFailedEnvelope({
          data: { orderId: ORDER_ID, reason: 'STOLEN_CARD', detail: 'x' },
        }),
      ),
    );

    expect(error.message).toMatch(/^invalid PaymentFailed v1: data\.reason: /);
    expect(issuePaths(error)).toEqual(['data.reason']);
  });

  it('names a nested field of an invalid payload with its full dotted path', () => {
    // Prepare
    const data = orderCreatedData();
    const envelope = {
      ...paymentFailedEnvelope(),
      eventType: 'OrderCreated',
      source: 'order',
      data: { ...data, lines: [{ ...data.lines[0], quantity: 0 }] },
    };

    // Act
    const error = catchValidationError(() => parseEvent(envelope));

    // Assess
    expect(issuePaths(error)).toEqual(['data.lines.0.quantity']);
  });

  it('rejects a missing payload', () => {
    const error = catchValidationError(() =>
      parseEvent(paymentFailedEnvelope({ data: undefined })),
    );

    expect(issuePaths(error)).toEqual(['data']);
  });

  it('throws only ContractsValidationError for garbage input', () => {
    for (const input of ['', 'null', '[]', '{}', '{"data":1}', undefined, 0, true]) {
      expect(() => parseEvent(input)).toThrow(ContractsValidationError);
    }
  });
});
