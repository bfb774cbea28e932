import {
  CreateTopicCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

/** When the decision on an order (OrderConfirmed or OrderCancelled) was published, and which. */
export interface OrderDecision {
  status: 'CONFIRMED' | 'CANCELLED';
  /** Milliseconds since the epoch at which the load tool received the event. */
  receivedAt: number;
}

export interface DecisionFeed {
  /** Resolves when the decision on `orderId` arrives (or has arrived); undefined after `timeoutMs`. */
  next(orderId: string, timeoutMs: number): Promise<OrderDecision | undefined>;
  stop(): Promise<void>;
}

/**
 * Listens to the event bus the way a customer-facing service would: a queue of its own subscribed
 * to OrderConfirmed and OrderCancelled. The load run learns each decision as it is published
 * instead of polling GET /orders/{id} (at 25 ms per client that polling was a third of the
 * system's CPU under load, work a real shop's clients would not put on the same two cores).
 */
export async function subscribeToDecisions(target: {
  awsEndpoint: string;
  region: string;
  stage: string;
}): Promise<DecisionFeed> {
  const config = {
    endpoint: target.awsEndpoint,
    region: target.region,
    credentials: { accessKeyId: 'load', secretAccessKey: 'load' },
  };
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const queueName = `load-decisions-${Date.now().toString(36)}`;
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: queueName }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  // CreateTopic is idempotent: it answers the bus's ARN without knowing the account.
  const { TopicArn: topicArn } = await sns.send(
    new CreateTopicCommand({ Name: `shop-events-${target.stage}` }),
  );
  const { SubscriptionArn: subscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: {
        RawMessageDelivery: 'true',
        FilterPolicy: JSON.stringify({ eventType: ['OrderConfirmed', 'OrderCancelled'] }),
      },
    }),
  );

  const decisions = new Map<string, OrderDecision>();
  const waiting = new Map<string, (decision: OrderDecision) => void>();
  const abort = new AbortController();
  const listening = (async () => {
    while (!abort.signal.aborted) {
      const { Messages = [] } = await sqs
        .send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
          }),
          { abortSignal: abort.signal },
        )
        .catch(() => ({ Messages: [] }));
      const receivedAt = Date.now();
      for (const message of Messages) {
        const event = JSON.parse(message.Body ?? '{}') as {
          eventType?: string;
          data?: { orderId?: string };
        };
        const orderId = event.data?.orderId;
        if (!orderId || decisions.has(orderId)) continue;
        const decision: OrderDecision = {
          status: event.eventType === 'OrderConfirmed' ? 'CONFIRMED' : 'CANCELLED',
          receivedAt,
        };
        decisions.set(orderId, decision);
        waiting.get(orderId)?.(decision);
      }
      if (Messages.length > 0)
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, index) => ({
              Id: String(index),
              ReceiptHandle: m.ReceiptHandle,
            })),
          }),
        );
    }
  })();

  return {
    next: (orderId, timeoutMs) => {
      const known = decisions.get(orderId);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(orderId);
          resolve(undefined);
        }, timeoutMs);
        waiting.set(orderId, (decision) => {
          clearTimeout(timer);
          waiting.delete(orderId);
          resolve(decision);
        });
      });
    },
    stop: async () => {
      abort.abort();
      await listening.catch(() => undefined);
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      sqs.destroy();
      sns.destroy();
    },
  };
}
