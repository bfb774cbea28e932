import {
  ContractsValidationError,
  eventCatalogue,
  parseSqsRecord,
  type ShopEvent,
  type EventType as ShopEventType,
} from '@shop/contracts';
import type { Context, SQSRecord } from 'aws-lambda';
import { LambdaSqsInvalidRecordError } from './errors';
import { type SqsRecordParser, sqsBatchConsumer } from './sqsBatchConsumer';

export interface EventConsumerOptions<T extends ShopEventType> {
  /** Event types this consumer handles; its queue's filter policy should let only these through. */
  accept: readonly T[];
  /** Handles one event. Throw to have the record retried (and, after maxReceiveCount, dead-lettered). */
  handle: (event: ShopEvent<T>, record: SQSRecord, context: Context) => Promise<void>;
  /**
   * The queue's DLQ. Records that can never succeed (not JSON, not a valid event, an event from a
   * service that does not produce it) go straight there instead of failing maxReceiveCount times
   * first, with a `deadLetterReason` message attribute.
   */
  deadLetterQueueUrl?: string;
  /**
   * A Powertools idempotency table: `handle` then runs once per eventId, however often the event is
   * delivered. Leave it out when `handle` is idempotent by its own writes.
   */
  idempotencyTable?: string;
  /**
   * Retry failed records with exponential backoff (base × 2^(attempt − 1) seconds, capped) instead
   * of after the queue's full visibility timeout. Needs sqs:ChangeMessageVisibility on the queue.
   */
  retry?: { queueUrl: string; baseDelaySeconds?: number; maxDelaySeconds?: number };
}

/**
 * The event's `source` is not the service the catalogue names as its producer, or a rejection
 * saying so. Anyone allowed to publish to the bus can write any `source`; IAM keeps publish rights
 * to the producers, and this check keeps one producer from speaking for another.
 */
function wrongSource(
  event: Pick<ShopEvent, 'correlationId' | 'eventId' | 'source'> & { eventType: ShopEventType },
): LambdaSqsInvalidRecordError | undefined {
  const producer = eventCatalogue[event.eventType].source;
  if (event.source === producer) return undefined;
  const error = new ContractsValidationError('event from a service that does not produce it', [
    {
      path: 'source',
      message: `"${event.source}" does not produce ${event.eventType}; only "${producer}" does`,
    },
  ]);
  return new LambdaSqsInvalidRecordError(
    error.message,
    {
      metric: 'WrongSourceEvents',
      logMessage:
        'rejected an event from a service that does not produce it; it will go to the DLQ',
      correlationId: event.correlationId,
      details: {
        correlationId: event.correlationId,
        eventId: event.eventId,
        eventType: event.eventType,
        eventSource: event.source,
        producer,
        issues: error.issues,
      },
    },
    { cause: error },
  );
}

/**
 * Reads the bus event of an SQS record (SNS envelope or raw delivery) and checks it comes from the
 * event's producer; its correlation id, id, type and producer go on every log line.
 *
 * @example
 * ```ts
 * const [event] = busEventParser(['OrderCreated']).parse(record);
 * ```
 */
export function busEventParser<T extends ShopEventType>(
  accept: readonly T[],
): SqsRecordParser<ShopEvent<T>> {
  return {
    parse: (record) => {
      let event: ShopEvent<T>;
      try {
        event = parseSqsRecord(record, { accept });
      } catch (error) {
        if (!(error instanceof ContractsValidationError)) throw error;
        throw new LambdaSqsInvalidRecordError(
          error.message,
          {
            metric: 'InvalidEvents',
            logMessage: 'rejected an invalid event; it will go to the DLQ',
            details: { issues: error.issues },
          },
          { cause: error },
        );
      }
      const impostor = wrongSource(event);
      if (impostor) throw impostor;
      return [event];
    },
    logKeys: (event) => ({
      correlationId: event.correlationId,
      eventId: event.eventId,
      eventType: event.eventType,
      // The producer: with the consumer's service name it makes one hop of the flow.
      eventSource: event.source,
    }),
  };
}

/**
 * A Lambda handler for an SQS queue subscribed to the event bus: `sqsBatchConsumer` with the bus
 * event parser. Each record is parsed into a typed event, checked to come from the event's
 * producer, handled with the event's correlation id in every log line, and reported to Lambda as
 * a partial batch failure when it fails, so its batch-mates are not retried with it.
 *
 * @example
 * ```ts
 * export const handler = eventConsumer({
 *   accept: ['OrderCreated'],
 *   handle: async (event) => reserveStock(deps, event.data),
 *   deadLetterQueueUrl: process.env.EVENTS_DLQ_URL,
 * });
 * ```
 */
export function eventConsumer<T extends ShopEventType>(options: EventConsumerOptions<T>) {
  const { accept, idempotencyTable, ...rest } = options;
  return sqsBatchConsumer({
    ...rest,
    parser: busEventParser(accept),
    itemName: 'event',
    ...(idempotencyTable
      ? { idempotency: { keyPath: 'eventId', tableName: idempotencyTable } }
      : {}),
  });
}
