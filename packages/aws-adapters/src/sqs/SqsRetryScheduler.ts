import {
  ChangeMessageVisibilityCommand,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';

export type SqsRetrySchedulerOptions = {
  queueUrl: string;
  /** Delay before the first retry; doubles with each further attempt. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
} & ({ client: SQSClient } | { config?: SQSClientConfig });

/**
 * Exponential backoff for messages a consumer failed: instead of waiting out the queue's whole
 * visibility timeout, a failed message becomes visible again after base × 2^(attempt − 1) seconds.
 *
 * @example
 * ```ts
 * await retries.retryLater(record.receiptHandle, Number(record.attributes.ApproximateReceiveCount));
 * ```
 */
export class SqsRetryScheduler {
  readonly #client: SQSClient;

  constructor(private readonly options: SqsRetrySchedulerOptions) {
    this.#client = 'client' in options ? options.client : new SQSClient(options.config ?? {});
  }

  /** Seconds before the next attempt after `attempt` failed attempts. */
  delayAfter(attempt: number): number {
    const { baseDelaySeconds, maxDelaySeconds } = this.options;
    return Math.min(maxDelaySeconds, baseDelaySeconds * 2 ** Math.max(0, attempt - 1));
  }

  async retryLater(receiptHandle: string, attempt: number): Promise<number> {
    const delay = this.delayAfter(attempt);
    await this.#client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.options.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: delay,
      }),
    );
    return delay;
  }
}
