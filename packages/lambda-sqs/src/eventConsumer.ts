import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SqsDeadLetterQueue, SqsRetryScheduler } from '@shop/aws-adapters';
import {
  ContractsValidationError,
  eventCatalogue,
  parseSqsRecord,
  type ShopEvent,
  type EventType as ShopEventType,
} from '@shop/contracts';
import { instrumentHandler, logger, MetricUnit, metrics } from '@shop/observability';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

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

/** Why a record is refused for good, and how to log and count it. */
interface Rejection {
  error: ContractsValidationError;
  logMessage: string;
  metric: string;
  correlationId?: string;
  details?: Record<string, unknown>;
}

/**
 * The event's `source` is not the service the catalogue names as its producer, or a rejection
 * saying so. Anyone allowed to publish to the bus can write any `source`; IAM keeps publish rights
 * to the producers, and this check keeps one producer from speaking for another.
 */
function wrongSource(event: {
  eventType: ShopEventType;
  source: string;
}): ContractsValidationError | undefined {
  const producer = eventCatalogue[event.eventType].source;
  if (event.source === producer) return undefined;
  return new ContractsValidationError('event from a service that does not produce it', [
    {
      path: 'source',
      message: `"${event.source}" does not produce ${event.eventType}; only "${producer}" does`,
    },
  ]);
}

/**
 * A Lambda handler for an SQS queue subscribed to the event bus. Each record is parsed into a typed
 * event (SNS envelope or raw delivery), checked to come from the event's producer, handled with the
 * event's correlation id in every log line, and reported to Lambda as a partial batch failure when
 * it fails, so its batch-mates are not retried with it.
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
  const processor = new BatchProcessor(EventType.SQS);
  const deadLetters = options.deadLetterQueueUrl
    ? new SqsDeadLetterQueue({ queueUrl: options.deadLetterQueueUrl })
    : undefined;
  const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: 'eventId',
    // An email sent or a fact recorded stays done: a week covers any redelivery or redrive.
    expiresAfterSeconds: 7 * 24 * 60 * 60,
  });
  const handleOnce = options.idempotencyTable
    ? makeIdempotent(
        async (event: ShopEvent<T>, record: SQSRecord, context: Context) => {
          await options.handle(event, record, context);
          return true;
        },
        {
          persistenceStore: new DynamoDBPersistenceLayer({
            tableName: options.idempotencyTable,
            awsSdkV3Client: new DynamoDBClient({}),
          }),
          config: idempotencyConfig,
        },
      )
    : options.handle;

  const retries = options.retry
    ? new SqsRetryScheduler({
        queueUrl: options.retry.queueUrl,
        baseDelaySeconds: options.retry.baseDelaySeconds ?? 2,
        maxDelaySeconds: options.retry.maxDelaySeconds ?? 300,
      })
    : undefined;

  const scheduleRetry = async (record: SQSRecord) => {
    if (!retries) return;
    const attempt = Number(record.attributes.ApproximateReceiveCount ?? 1);
    try {
      const delaySeconds = await retries.retryLater(record.receiptHandle, attempt);
      logger.info('retry scheduled', { attempt, delaySeconds });
    } catch (error) {
      // The visibility timeout still brings it back, only later.
      logger.warn('could not shorten the retry delay', error as Error);
    }
  };

  const rejectPermanently = async (record: SQSRecord, rejection: Rejection) => {
    metrics.addMetric(rejection.metric, MetricUnit.Count, 1);
    const details = {
      messageId: record.messageId,
      ...rejection.details,
      issues: rejection.error.issues,
    };
    if (!deadLetters) {
      logger.error(rejection.logMessage, details);
      throw rejection.error;
    }
    // Straight to the DLQ: retries cannot fix it, and it must not be lost.
    await deadLetters.send({
      body: record.body,
      sourceMessageId: record.messageId,
      reason: rejection.error.message,
      ...(rejection.correlationId ? { correlationId: rejection.correlationId } : {}),
    });
    metrics.addMetric('DeadLettered', MetricUnit.Count, 1);
    logger.error(rejection.logMessage, { ...details, deadLettered: true });
  };

  const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    idempotencyConfig.registerLambdaContext(context);
    const recordHandler = async (record: SQSRecord) => {
      const started = Date.now();
      let parsed: ShopEvent<T>;
      try {
        parsed = parseSqsRecord(record, { accept: options.accept });
      } catch (error) {
        if (!(error instanceof ContractsValidationError)) throw error;
        return rejectPermanently(record, {
          error,
          logMessage: 'rejected an invalid event; it will go to the DLQ',
          metric: 'InvalidEvents',
        });
      }
      const impostor = wrongSource(parsed);
      if (impostor) {
        return rejectPermanently(record, {
          error: impostor,
          logMessage:
            'rejected an event from a service that does not produce it; it will go to the DLQ',
          metric: 'WrongSourceEvents',
          correlationId: parsed.correlationId,
          details: {
            correlationId: parsed.correlationId,
            eventId: parsed.eventId,
            eventType: parsed.eventType,
            eventSource: parsed.source,
            producer: eventCatalogue[parsed.eventType].source,
          },
        });
      }
      logger.appendKeys({
        correlationId: parsed.correlationId,
        eventId: parsed.eventId,
        eventType: parsed.eventType,
        // The producer: with the consumer's service name it makes one hop of the flow.
        eventSource: parsed.source,
      });
      try {
        await handleOnce(parsed, record, context);
        logger.info('event handled', { durationMs: Date.now() - started });
        metrics.addMetric('ItemsProcessed', MetricUnit.Count, 1);
      } catch (error) {
        logger.error('event handling failed; it will be retried', error as Error);
        metrics.addMetric('Errors', MetricUnit.Count, 1);
        await scheduleRetry(record);
        throw error;
      } finally {
        logger.removeKeys(['correlationId', 'eventId', 'eventType', 'eventSource']);
      }
    };
    return processPartialResponse(event, recordHandler, processor, {
      context,
      // Report every failed record instead of throwing, so Lambda deletes nothing it should keep
      // and the answer is the same whether one record or all of them failed.
      throwOnFullBatchFailure: false,
      // One record at a time: the correlation id lives in the shared logger's keys, so records
      // handled in parallel would log under each other's ids.
      processInParallel: false,
    });
  };

  return instrumentHandler(lambdaHandler);
}
