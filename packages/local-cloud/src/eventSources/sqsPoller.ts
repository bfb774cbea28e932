import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { EventSourceMapping } from '../cloudformation/provision';
import { isListening } from '../net';
import { type InvocationResult, invokeLocalFunction } from './lambdaInvoker';

export interface BatchOutcome {
  mapping: EventSourceMapping;
  messages: Message[];
  /** Message ids the function reported as failed (all of them when it threw). */
  failedMessageIds: string[];
  result: InvocationResult;
}

export interface SqsPollerOptions {
  sqs: SQSClient;
  region: string;
  lambdaPort: number;
  /** Called after every invocation, for the live view and tests. */
  onBatch?: (outcome: BatchOutcome) => void;
  onError?: (error: Error, mapping: EventSourceMapping) => void;
  /** Pollers working the queue at once (Lambda starts with several and scales with the backlog). */
  concurrency?: number;
  /** How a batch reaches the function; serverless-offline's Lambda API on `lambdaPort` by default. */
  invoke?: (functionName: string, event: unknown) => Promise<InvocationResult>;
}

/**
 * Runs one SQS event source mapping the way Lambda's pollers do: long-poll the queue, invoke the
 * function with up to `batchSize` records, delete what succeeded. With ReportBatchItemFailures only
 * the reported records stay; a thrown error keeps the whole batch. Kept messages come back after the
 * queue's visibility timeout, and the queue's redrive policy dead-letters them after
 * maxReceiveCount (the emulator applies it, as SQS does).
 */
export function startSqsPoller(
  mapping: EventSourceMapping,
  options: SqsPollerOptions,
): { stop(): Promise<void> } {
  const abort = new AbortController();
  const queueName = mapping.queueArn.split(':').at(-1) ?? '';
  const invoke =
    options.invoke ??
    ((functionName: string, event: unknown) =>
      invokeLocalFunction(options.lambdaPort, functionName, event));
  const poll = async (queueUrl: string, visibilityTimeoutSeconds: number) => {
    while (!abort.signal.aborted) {
      // While the function's process is down, leave the queue alone: receiving would count
      // deliveries against maxReceiveCount for invocations that never happened.
      if (!(await isListening(options.lambdaPort))) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      try {
        const messages = await receiveBatch(options.sqs, queueUrl, mapping, {
          visibilityTimeoutSeconds,
          signal: abort.signal,
        });
        if (messages.length === 0 || abort.signal.aborted) continue;
        const event = {
          Records: messages.map((message) =>
            toLambdaRecord(message, mapping.queueArn, options.region),
          ),
        };
        let result: InvocationResult;
        try {
          result = await invoke(mapping.functionName, event);
        } catch (error) {
          // The function's process is down (crashed or stopped): nothing ran, so the messages go
          // back at once instead of waiting out their visibility timeout.
          await options.sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrl,
              Entries: messages.map((m, index) => ({
                Id: String(index),
                ReceiptHandle: m.ReceiptHandle,
                VisibilityTimeout: 0,
              })),
            }),
          );
          throw error;
        }
        const failedMessageIds = failedIds(result, messages, mapping);
        const succeeded = messages.filter((m) => !failedMessageIds.includes(m.MessageId ?? ''));
        if (succeeded.length > 0) {
          await options.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: succeeded.map((m, index) => ({
                Id: String(index),
                ReceiptHandle: m.ReceiptHandle,
              })),
            }),
          );
        }
        options.onBatch?.({ mapping, messages, failedMessageIds, result });
      } catch (error) {
        if (abort.signal.aborted) break;
        options.onError?.(error as Error, mapping);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  // Like Lambda, several pollers per queue, each with its own batch in flight.
  const running = (async () => {
    const { QueueUrl: queueUrl = '' } = await options.sqs.send(
      new GetQueueUrlCommand({ QueueName: queueName }),
    );
    const { Attributes = {} } = await options.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    const visibilityTimeoutSeconds = Number(Attributes.VisibilityTimeout ?? 30);
    await Promise.all(
      Array.from({ length: options.concurrency ?? 1 }, () =>
        poll(queueUrl, visibilityTimeoutSeconds),
      ),
    );
  })().catch((error: Error) => options.onError?.(error, mapping));

  return {
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}

/**
 * Up to batchSize messages, as Lambda gathers them: once the first message is in, keep receiving
 * until the batch is full or the batching window (counted from that first message) is over. SQS
 * gives at most 10 a call, and a long poll returns as soon as anything arrives, so a window lets a
 * trickle of messages share one invocation. Long polls wait whole seconds, so the last one may end
 * up to a second after the window — but never after the first message's visibility timeout: held
 * longer, it would come back into the very batch being gathered (AWS advises a visibility timeout
 * of 6 × the function timeout plus the window; a test queue with 1 s gets no gathering).
 */
async function receiveBatch(
  sqs: SQSClient,
  queueUrl: string,
  mapping: EventSourceMapping,
  options: { visibilityTimeoutSeconds: number; signal: AbortSignal },
) {
  const messages: Message[] = [];
  let windowEnds = 0;
  let visibleAgainAt = 0;
  for (;;) {
    const waitSeconds =
      messages.length === 0
        ? 2
        : Math.min(
            20,
            Math.ceil((windowEnds - Date.now()) / 1000),
            Math.floor((visibleAgainAt - Date.now()) / 1000),
          );
    if (messages.length > 0 && (waitSeconds <= 0 || messages.length >= mapping.batchSize)) break;
    const receivedAt = Date.now();
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, mapping.batchSize - messages.length),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: options.signal },
    );
    if (messages.length === 0) {
      if (Messages.length === 0) break;
      // The receive may have returned at once or after waiting: the messages' visibility counts
      // from when SQS handed them out, no earlier than the call.
      windowEnds = Date.now() + mapping.maximumBatchingWindowSeconds * 1000;
      visibleAgainAt = receivedAt + options.visibilityTimeoutSeconds * 1000;
    }
    messages.push(...Messages);
  }
  return messages;
}

function failedIds(
  result: InvocationResult,
  messages: Message[],
  mapping: EventSourceMapping,
): string[] {
  const all = messages.map((m) => m.MessageId ?? '');
  if (result.failed) return all;
  if (!mapping.reportBatchItemFailures) return [];
  const failures = (
    result.payload as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined
  )?.batchItemFailures;
  if (!Array.isArray(failures)) return [];
  // Like Lambda: an identifier that is not in the batch fails the whole batch.
  const ids = failures.map((f) => f.itemIdentifier ?? '');
  return ids.some((id) => !all.includes(id)) ? all : ids;
}

/** An SQS message as Lambda hands it to a function in an SQS event. */
function toLambdaRecord(message: Message, queueArn: string, region: string) {
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body ?? '',
    attributes: message.Attributes ?? {},
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType,
          ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
          ...(value.BinaryValue !== undefined
            ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
            : {}),
          stringListValues: value.StringListValues ?? [],
          binaryListValues: (value.BinaryListValues ?? []).map((b) =>
            Buffer.from(b).toString('base64'),
          ),
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
