import { type EventType, eventCatalogue } from './catalogue';
import { createEventParser, type SqsRecordLike } from './createEventParser';
import type { ShopEvent } from './envelope';

export type { SqsRecordLike } from './createEventParser';

export interface ParseEventOptions<T extends EventType> {
  /** Types the consumer handles; anything else is rejected as a permanent error. */
  accept?: readonly T[];
}

const catalogueParser = createEventParser(eventCatalogue);

/**
 * Validates an envelope and its payload against the catalogue. An event of a type's previous
 * version is upcast: the result always has the current `version` and payload shape.
 *
 * @param input an object or its JSON text.
 * @throws ContractsValidationError naming the offending fields (`data.lines.0.quantity: ...`), or
 *   the version when it is neither the current nor the previous one.
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
  return catalogueParser.parseEvent(input, options) as ShopEvent<T>;
}

/**
 * Parses the event carried by an SQS record, whether the queue's SNS subscription delivers the
 * SNS envelope (`{"Type":"Notification","Message":"…"}`) or the raw message; versions as
 * {@link parseEvent}.
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
  return catalogueParser.parseSqsRecord(record, options) as ShopEvent<T>;
}
