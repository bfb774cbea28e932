import { SnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { type EventType, eventCatalogue, isEventType } from './catalogue';
import { EventEnvelopeSchema, type ShopEvent } from './envelope';
import { ContractsValidationError } from './errors';
import { toIssues } from './issues';

export interface ParseEventOptions<T extends EventType> {
  /** Types the consumer handles; anything else is rejected as a permanent error. */
  accept?: readonly T[];
}

/**
 * Validates an envelope and its payload against the catalogue.
 *
 * @param input an object or its JSON text.
 * @throws ContractsValidationError naming the offending fields (`data.lines.0.quantity: ...`).
 * @example
 * ```ts
 * const event = parseEvent(message, { accept: ['OrderCreated'] });
 * event.data.total.amount; // typed
 * ```
 */
export function parseEvent<T extends EventType = EventType>(
  input: unknown,
  options: ParseEventOptions<T> = {},
): ShopEvent<T> {
  const raw = typeof input === 'string' ? parseJson(input, 'event') : input;
  const envelope = EventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    throw new ContractsValidationError('invalid event envelope', toIssues(envelope.error));
  }
  const { eventType, version } = envelope.data;
  if (!isEventType(eventType)) {
    throw new ContractsValidationError('unknown event', [
      { path: 'eventType', message: `"${eventType}" is not in the catalogue` },
    ]);
  }
  if (options.accept && !(options.accept as readonly string[]).includes(eventType)) {
    throw new ContractsValidationError('unexpected event', [
      { path: 'eventType', message: `"${eventType}" is not one of ${options.accept.join(', ')}` },
    ]);
  }
  const definition = eventCatalogue[eventType];
  if (version !== definition.version) {
    throw new ContractsValidationError('unsupported event version', [
      {
        path: 'version',
        message: `${eventType} v${version} is not supported (v${definition.version} is)`,
      },
    ]);
  }
  const data = definition.data.safeParse(envelope.data.data);
  if (!data.success) {
    throw new ContractsValidationError(
      `invalid ${eventType} v${version}`,
      toIssues(data.error, 'data'),
    );
  }
  return { ...envelope.data, eventType, data: data.data } as ShopEvent<T>;
}

/** The part of an SQS record this helper reads; matches `SQSRecord` from aws-lambda. */
export interface SqsRecordLike {
  body: string;
}

/**
 * Parses the event carried by an SQS record, whether the queue's SNS subscription delivers the
 * SNS envelope (`{"Type":"Notification","Message":"…"}`) or the raw message.
 *
 * @example
 * ```ts
 * const event = parseSqsRecord(record, { accept: ['PaymentProcessed', 'PaymentFailed'] });
 * ```
 */
export function parseSqsRecord<T extends EventType = EventType>(
  record: SqsRecordLike,
  options: ParseEventOptions<T> = {},
): ShopEvent<T> {
  const body = parseJson(record.body, 'SQS message body');
  const notification = SnsSqsNotificationSchema.safeParse(body);
  if (notification.success) {
    return parseEvent(parseJson(notification.data.Message, 'SNS Message'), options);
  }
  return parseEvent(body, options);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ContractsValidationError(
      `${what} is not JSON`,
      [{ path: '', message: (error as Error).message }],
      { cause: error },
    );
  }
}
