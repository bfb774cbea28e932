import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** Attributes the dead-lettering added; the message goes back without them. */
const DEAD_LETTER_ATTRIBUTES = new Set(['deadLetterReason', 'sourceMessageId']);

/** The queue whose redrive policy names `dlqArn` as its dead-letter target. */
export async function sourceQueueOf(sqs: SQSClient, dlqArn: string): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ NextToken, MaxResults: 1000 }));
    for (const url of page.QueueUrls ?? []) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }),
      );
      const policy = Attributes?.RedrivePolicy ? JSON.parse(Attributes.RedrivePolicy) : undefined;
      if (policy?.deadLetterTargetArn === dlqArn) return url;
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

/**
 * Moves every message of a dead-letter queue back to the queue it came from (found through the
 * redrive policies), ten at a time: send first, then delete, so a crash can duplicate a message
 * (consumers are idempotent) but never lose one. Works against AWS and the local cloud alike.
 *
 * @returns how many messages went back, and where.
 */
export async function redrive(
  sqs: SQSClient,
  dlqName: string,
  target?: string,
): Promise<{ moved: number; to: string }> {
  const { QueueUrl: dlqUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlqUrl,
      AttributeNames: [
        'QueueArn',
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
      ],
    }),
  );
  const to =
    (target
      ? (await sqs.send(new GetQueueUrlCommand({ QueueName: target }))).QueueUrl
      : undefined) ?? (await sourceQueueOf(sqs, Attributes?.QueueArn ?? ''));
  if (!to) throw new Error(`no queue sends its dead letters to ${dlqName}; pass the target queue`);

  // Only what is there now (in flight included): a message that fails again comes back here and
  // must not loop.
  const waiting =
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  let moved = 0;
  while (moved < waiting) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, waiting - moved),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: to,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? '',
          MessageAttributes: Object.fromEntries(
            Object.entries(message.MessageAttributes ?? {}).filter(
              ([name]) => !DEAD_LETTER_ATTRIBUTES.has(name),
            ),
          ) as Record<string, MessageAttributeValue>,
        })),
      }),
    );
    const delivered = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    const toDelete = Messages.filter((_, index) => delivered.has(String(index)));
    if (toDelete.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: toDelete.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
    moved += toDelete.length;
    if ((sent.Failed ?? []).length > 0) {
      throw new Error(`could not send ${sent.Failed?.length} message(s) back to ${to}`);
    }
  }
  return { moved, to };
}
