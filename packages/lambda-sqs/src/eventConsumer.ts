import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import {
  ContractsValidationError,
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
}

/**
 * A Lambda handler for an SQS queue subscribed to the event bus. Each record is parsed into a typed
 * event (SNS envelope or raw delivery), handled with the event's correlation id in every log line,
 * and reported to Lambda as a partial batch failure when it fails, so its batch-mates are not
 * retried with it.
 *
 * @example
 * ```ts
 * export const handler = eventConsumer({
 *   accept: ['OrderCreated'],
 *   handle: async (event) => reserveStock(deps, event.data),
 * });
 * ```
 */
export function eventConsumer<T extends ShopEventType>(options: EventConsumerOptions<T>) {
  const processor = new BatchProcessor(EventType.SQS);

  const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const recordHandler = async (record: SQSRecord) => {
      const started = Date.now();
      let parsed: ShopEvent<T>;
      try {
        parsed = parseSqsRecord(record, { accept: options.accept });
      } catch (error) {
        if (error instanceof ContractsValidationError) {
          // Permanent: retries cannot fix it; it fails until the redrive policy dead-letters it.
          logger.error('rejected an invalid event; it will go to the DLQ', {
            messageId: record.messageId,
            issues: error.issues,
          });
          metrics.addMetric('InvalidEvents', MetricUnit.Count, 1);
        }
        throw error;
      }
      logger.appendKeys({
        correlationId: parsed.correlationId,
        eventId: parsed.eventId,
        eventType: parsed.eventType,
        // The producer: with the consumer's service name it makes one hop of the flow.
        eventSource: parsed.source,
      });
      try {
        await options.handle(parsed, record, context);
        logger.info('event handled', { durationMs: Date.now() - started });
        metrics.addMetric('ItemsProcessed', MetricUnit.Count, 1);
      } catch (error) {
        logger.error('event handling failed; it will be retried', error as Error);
        metrics.addMetric('Errors', MetricUnit.Count, 1);
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
