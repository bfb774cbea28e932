import type { EventDefinition } from './defineEvent';
import { EventEnvelopeSchema } from './envelope';
import { ContractsValidationError } from './errors';
import { toIssues } from './issues';
import { SnsSqsNotificationSchema } from './snsNotification';
import type * as z from './zod';

/** Event definitions by type, as the catalogue holds them: each type's current version. */
export type EventDefinitions = Readonly<Record<string, EventDefinition>>;

/** An envelope whose payload was checked against its definition and brought to its current version. */
export type ParsedEvent = z.output<typeof EventEnvelopeSchema>;

/** The part of an SQS record the parser reads; matches `SQSRecord` from aws-lambda. */
export interface SqsRecordLike {
  body: string;
}

/** What a consumer accepts; anything else is rejected as a permanent error. */
export interface AcceptOptions {
  accept?: readonly string[];
}

/** {@link parseEvent} and {@link parseSqsRecord} over one catalogue. */
export interface EventParser {
  parseEvent(input: unknown, options?: AcceptOptions): ParsedEvent;
  parseSqsRecord(record: SqsRecordLike, options?: AcceptOptions): ParsedEvent;
}

/**
 * The event parser of a catalogue. The package's `parseEvent` and `parseSqsRecord` are this
 * parser over `eventCatalogue`; tests build one over a fixture catalogue to exercise versions the
 * real catalogue does not hold yet.
 *
 * An event of a type's current version is checked against its schema. An event of the previous
 * version is checked against the previous schema, upcast, checked against the current schema and
 * returned as the current version, so a consumer's code only ever sees the current shape. Any
 * other version is refused.
 *
 * @example
 * ```ts
 * const { parseSqsRecord } = createEventParser({ ParcelShipped });
 * parseSqsRecord({ body: JSON.stringify(parcelShippedV1) }).version; // 2
 * ```
 */
export function createEventParser(catalogue: EventDefinitions): EventParser {
  const parseEvent = (input: unknown, options: AcceptOptions = {}): ParsedEvent => {
    const raw = typeof input === 'string' ? parseJson(input, 'event') : input;
    const envelope = EventEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      throw new ContractsValidationError('invalid event envelope', toIssues(envelope.error));
    }
    const { eventType, version } = envelope.data;
    const definition = Object.hasOwn(catalogue, eventType) ? catalogue[eventType] : undefined;
    if (!definition) {
      throw new ContractsValidationError('unknown event', [
        { path: 'eventType', message: `"${eventType}" is not in the catalogue` },
      ]);
    }
    if (options.accept && !options.accept.includes(eventType)) {
      throw new ContractsValidationError('unexpected event', [
        { path: 'eventType', message: `"${eventType}" is not one of ${options.accept.join(', ')}` },
      ]);
    }
    const data = payloadAtCurrentVersion(definition, version, envelope.data.data);
    return { ...envelope.data, version: definition.version, data };
  };

  const parseSqsRecord = (record: SqsRecordLike, options: AcceptOptions = {}): ParsedEvent => {
    const body = parseJson(record.body, 'SQS message body');
    const notification = SnsSqsNotificationSchema.safeParse(body);
    if (notification.success) {
      return parseEvent(parseJson(notification.data.Message, 'SNS Message'), options);
    }
    return parseEvent(body, options);
  };

  return { parseEvent, parseSqsRecord };
}

function payloadAtCurrentVersion(
  definition: EventDefinition,
  version: number,
  payload: unknown,
): unknown {
  if (version === definition.version) return checkPayload(definition, payload);
  const previous = definition.previous;
  if (!previous || version !== previous.definition.version) {
    throw new ContractsValidationError('unsupported event version', [
      { path: 'version', message: describeUnsupported(definition, version) },
    ]);
  }
  const old = checkPayload(previous.definition, payload);
  const { type } = definition;
  const from = `${type} v${previous.definition.version}`;
  let upcast: unknown;
  try {
    upcast = previous.upcast(old);
  } catch (error) {
    // The upcaster is deterministic: the same message would fail again, so it is permanent.
    throw new ContractsValidationError(
      `${from} could not be upcast to v${definition.version}`,
      [{ path: 'data', message: (error as Error).message }],
      { cause: error },
    );
  }
  const current = definition.data.safeParse(upcast);
  if (!current.success) {
    throw new ContractsValidationError(
      `${from} upcast to an invalid v${definition.version}`,
      toIssues(current.error, { prefix: 'data' }),
    );
  }
  return current.data;
}

function checkPayload(definition: EventDefinition, payload: unknown): unknown {
  const data = definition.data.safeParse(payload);
  if (!data.success) {
    throw new ContractsValidationError(
      `invalid ${definition.type} v${definition.version}`,
      toIssues(data.error, { prefix: 'data' }),
    );
  }
  return data.data;
}

function describeUnsupported(definition: EventDefinition, version: number): string {
  const previousVersion = definition.previous?.definition.version;
  const accepted =
    previousVersion === undefined
      ? `v${definition.version}`
      : `v${definition.version} and v${previousVersion}, upcast to v${definition.version}`;
  const age = version > definition.version ? 'newer than this consumer knows' : 'no longer read';
  return `${definition.type} v${version} is ${age} (it accepts ${accepted})`;
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
