import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** A queue as the console lists it. */
export interface QueueView {
  name: string;
  url: string;
  arn: string;
  /** ApproximateNumberOfMessages: waiting to be received. */
  visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received, not yet deleted (in flight). */
  inFlight: number;
  delayed: number;
  /** Where this queue's dead letters go, and after how many receives. */
  deadLetterQueue?: { name: string; maxReceiveCount: number };
  /** Set on a dead-letter queue: the queues whose dead letters it holds. */
  deadLetterSourceOf?: string[];
}

/** A message in a dead-letter queue, as a peek saw it. */
export interface DeadLetterView {
  messageId: string;
  body: string;
  /** SQS's own attributes: ApproximateReceiveCount (this peek included), SentTimestamp… */
  attributes: Record<string, string>;
  /** What the sender attached: the consumer's `deadLetterReason`, `sourceMessageId`, … */
  messageAttributes: Record<string, string>;
}

const nameOf = (arnOrUrl: string) => arnOrUrl.split(/[/:]/).at(-1) ?? arnOrUrl;

/** Every queue with its depth, each dead-letter queue linked to the queues it serves. */
export async function listQueues(sqs: SQSClient): Promise<QueueView[]> {
  const urls: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ NextToken, MaxResults: 1000 }));
    urls.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const queues = await Promise.all(
    urls.map(async (url) => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
      );
      const policy = Attributes.RedrivePolicy
        ? (JSON.parse(Attributes.RedrivePolicy) as {
            deadLetterTargetArn?: string;
            maxReceiveCount?: number | string;
          })
        : undefined;
      const view: QueueView = {
        name: nameOf(url),
        url,
        arn: Attributes.QueueArn ?? '',
        visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
        ...(policy?.deadLetterTargetArn
          ? {
              deadLetterQueue: {
                name: nameOf(policy.deadLetterTargetArn),
                maxReceiveCount: Number(policy.maxReceiveCount ?? 0),
              },
            }
          : {}),
      };
      return view;
    }),
  );
  for (const queue of queues) {
    const sources = queues.filter((q) => q.deadLetterQueue?.name === queue.name);
    if (sources.length > 0) queue.deadLetterSourceOf = sources.map((q) => q.name);
  }
  return queues.sort((a, b) => a.name.localeCompare(b.name));
}

/** How many messages one peek shows at most. */
export const PEEK_LIMIT = 50;

/**
 * The messages of a dead-letter queue, left in it: each is received with a short visibility
 * timeout, then made visible again at once. A receive is the only way SQS shows a body, so each
 * peek adds one to the messages' receive count; nothing polls a DLQ, so nothing else sees them
 * meanwhile. Consumer queues are not peeked: their pollers would miss the hidden messages.
 */
export async function peekDeadLetters(
  sqs: SQSClient,
  queueName: string,
): Promise<DeadLetterView[]> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const seen = new Map<string, Message>();
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        // Long enough not to receive the same message twice within this peek.
        VisibilityTimeout: 30,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
    for (const message of fresh) seen.set(message.MessageId as string, message);
    if (fresh.length === 0 || seen.size >= PEEK_LIMIT) break;
  }
  const messages = [...seen.values()];
  for (let i = 0; i < messages.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: messages.slice(i, i + 10).map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
  return messages.map((message) => ({
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    attributes: { ...(message.Attributes ?? {}) },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        value.StringValue ?? (value.BinaryValue ? '(binary)' : ''),
      ]),
    ),
  }));
}
