import { SendMessageCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';

export type SqsDeadLetterQueueOptions = { queueUrl: string } & (
  | { client: SQSClient }
  | { config?: SQSClientConfig }
);

/** A message that can never be processed, and why. */
export interface DeadLetter {
  body: string;
  /** Id of the message in the source queue, for tracing it back. */
  sourceMessageId: string;
  reason: string;
  correlationId?: string;
}

/**
 * Sends a message straight to a dead-letter queue. Used for permanent failures (a message that no
 * retry can fix), so it does not wait for maxReceiveCount retries before landing there.
 *
 * @example
 * ```ts
 * await new SqsDeadLetterQueue({ queueUrl }).send({ body: record.body, sourceMessageId, reason });
 * ```
 */
export class SqsDeadLetterQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(options: SqsDeadLetterQueueOptions) {
    this.#client = 'client' in options ? options.client : new SQSClient(options.config ?? {});
    this.#queueUrl = options.queueUrl;
  }

  async send(letter: DeadLetter): Promise<void> {
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#queueUrl,
        MessageBody: letter.body,
        MessageAttributes: {
          deadLetterReason: { DataType: 'String', StringValue: letter.reason.slice(0, 1000) },
          sourceMessageId: { DataType: 'String', StringValue: letter.sourceMessageId },
          ...(letter.correlationId
            ? { correlationId: { DataType: 'String', StringValue: letter.correlationId } }
            : {}),
        },
      }),
    );
  }
}
