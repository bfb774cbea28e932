import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { createDynamoDbClient, SqsDeadLetterQueue, SqsRetryScheduler } from '@shop/aws-adapters';
import { instrumentHandler, logger, MetricUnit, metrics } from '@shop/observability';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { LambdaSqsError, LambdaSqsInvalidRecordError } from './errors';

/** Turns one SQS record into what the consumer handles; one per kind of message a queue carries. */
export interface SqsRecordParser<Item> {
  /**
   * The items a record carries: usually one, several for an S3 notification, none for a message
   * with nothing to do. Throws `LambdaSqsInvalidRecordError` for a record no retry can fix.
   */
  parse(record: SQSRecord): readonly Item[];
  /** Keys on every log line while the item is handled: its correlation id, and what it is about. */
  logKeys(item: Item): Record<string, string>;
}

/** Runs `handle` once per item, however often the item is delivered. */
export type SqsBatchIdempotency = {
  /** JMESPath to the item's unique key, such as `eventId`. */
  keyPath: string;
} & (
  | { /** A Powertools idempotency table in DynamoDB. */ tableName: string }
  | { persistenceStore: BasePersistenceLayer }
);

export interface SqsBatchConsumerOptions<Item> {
  parser: SqsRecordParser<Item>;
  /** Handles one item. Throw to have its record retried (and, after maxReceiveCount, dead-lettered). */
  handle: (item: Item, record: SQSRecord, context: Context) => Promise<void>;
  /** What an item is called in log lines: `<itemName> handled`, `<itemName> handling failed`. */
  itemName: string;
  /**
   * The queue's DLQ. Records the parser rejects go straight there, with a `deadLetterReason`
   * message attribute, and are acknowledged instead of failing maxReceiveCount times first.
   * Without it they are reported as failed, and reach the DLQ through the queue's redrive policy.
   */
  deadLetterQueueUrl?: string;
  idempotency?: SqsBatchIdempotency;
  /**
   * Retry failed records with exponential backoff (base × 2^(attempt − 1) seconds, capped) instead
   * of after the queue's full visibility timeout. Needs sqs:ChangeMessageVisibility on the queue.
   */
  retry?: { queueUrl: string; baseDelaySeconds?: number; maxDelaySeconds?: number };
  /**
   * Records are not started with less time left than this: they are reported as failed and come
   * back after the visibility timeout, instead of the whole batch timing out and being redelivered.
   */
  minRemainingMs?: number;
}

function idempotencyStore(idempotency: SqsBatchIdempotency): BasePersistenceLayer {
  if ('persistenceStore' in idempotency) return idempotency.persistenceStore;
  return new DynamoDBPersistenceLayer({
    tableName: idempotency.tableName,
    awsSdkV3Client: createDynamoDbClient(),
  });
}

/**
 * A Lambda handler for an SQS queue, whatever its messages are: the parser turns each record into
 * items, and the core handles them one at a time with the parser's log keys on every line, sends
 * invalid records to the DLQ at once, retries failed ones with backoff, runs `handle` once per item
 * when asked to, and reports failed records as partial batch failures so their batch-mates are not
 * retried with them.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 *
 * @example
 * ```ts
 * export const handler = sqsBatchConsumer({
 *   parser: s3NotificationParser,
 *   itemName: 'upload',
 *   handle: async (upload) => createThumbnail(deps, upload),
 *   deadLetterQueueUrl: process.env.UPLOADS_DLQ_URL,
 * });
 * ```
 */
export function sqsBatchConsumer<Item>(options: SqsBatchConsumerOptions<Item>) {
  const { parser, itemName } = options;
  const processor = new BatchProcessor(EventType.SQS);
  const deadLetters = options.deadLetterQueueUrl
    ? new SqsDeadLetterQueue({ queueUrl: options.deadLetterQueueUrl })
    : undefined;
  const retries = options.retry
    ? new SqsRetryScheduler({
        queueUrl: options.retry.queueUrl,
        baseDelaySeconds: options.retry.baseDelaySeconds ?? 2,
        maxDelaySeconds: options.retry.maxDelaySeconds ?? 300,
      })
    : undefined;
  const idempotencyConfig = options.idempotency
    ? new IdempotencyConfig({
        eventKeyJmesPath: options.idempotency.keyPath,
        // An email sent or a fact recorded stays done: a week covers any redelivery or redrive.
        expiresAfterSeconds: 7 * 24 * 60 * 60,
      })
    : undefined;
  const handleOnce =
    options.idempotency && idempotencyConfig
      ? makeIdempotent(
          async (item: Item, record: SQSRecord, context: Context) => {
            await options.handle(item, record, context);
            return true;
          },
          { persistenceStore: idempotencyStore(options.idempotency), config: idempotencyConfig },
        )
      : options.handle;

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

  const rejectPermanently = async (record: SQSRecord, rejection: LambdaSqsInvalidRecordError) => {
    metrics.addMetric(rejection.metric, MetricUnit.Count, 1);
    const details = {
      messageId: record.messageId,
      reason: rejection.message,
      ...rejection.details,
    };
    if (!deadLetters) {
      logger.error(rejection.logMessage, details);
      throw rejection;
    }
    // Straight to the DLQ: retries cannot fix it, and it must not be lost. If the send fails, the
    // record fails with it and comes back.
    await deadLetters.send({
      body: record.body,
      sourceMessageId: record.messageId,
      reason: rejection.message,
      ...(rejection.correlationId ? { correlationId: rejection.correlationId } : {}),
    });
    metrics.addMetric('DeadLettered', MetricUnit.Count, 1);
    logger.error(rejection.logMessage, { ...details, deadLettered: true });
  };

  const handleItem = async (item: Item, record: SQSRecord, context: Context) => {
    const keys = parser.logKeys(item);
    logger.appendKeys(keys);
    const started = Date.now();
    try {
      await handleOnce(item, record, context);
      logger.info(`${itemName} handled`, { durationMs: Date.now() - started });
      metrics.addMetric('ItemsProcessed', MetricUnit.Count, 1);
    } catch (error) {
      logger.error(`${itemName} handling failed; it will be retried`, error as Error);
      metrics.addMetric('Errors', MetricUnit.Count, 1);
      await scheduleRetry(record);
      throw error;
    } finally {
      logger.removeKeys(Object.keys(keys));
    }
  };

  const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // Lets an in-progress marker expire with this invocation if it dies mid-item.
    idempotencyConfig?.registerLambdaContext(context);
    const recordHandler = async (record: SQSRecord) => {
      const remainingMs = context.getRemainingTimeInMillis();
      if (remainingMs < (options.minRemainingMs ?? 0)) {
        logger.warn('not enough time left for this record; it will come back', {
          messageId: record.messageId,
          remainingMs,
        });
        throw new LambdaSqsError('not started: too little time left in this invocation');
      }
      let items: readonly Item[];
      try {
        items = parser.parse(record);
      } catch (error) {
        if (!(error instanceof LambdaSqsInvalidRecordError)) throw error;
        return rejectPermanently(record, error);
      }
      for (const item of items) await handleItem(item, record, context);
    };
    return processPartialResponse(event, recordHandler, processor, {
      context,
      // Report every failed record instead of throwing, so Lambda deletes nothing it should keep
      // and the answer is the same whether one record or all of them failed.
      throwOnFullBatchFailure: false,
      // One record at a time: the log keys live in the shared logger, so records handled in
      // parallel would log under each other's keys (and one image at a time bounds memory).
      processInParallel: false,
    });
  };

  return instrumentHandler(lambdaHandler);
}
