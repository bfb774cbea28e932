import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  findRepoRoot,
  type LocalCloudProcess,
  LocalSignIn,
  pollUntil,
  startLocalCloudProcess,
} from '@shop/local-cloud';
import { type AttachedCloud, CLOUDS, type CloudName, takeTurnOnSharedCloud } from './sharedCloud';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field.
export type Json = any;

export interface OrderLineInput {
  productId: string;
  quantity: number;
  unitPrice: { amount: number; currency: string };
}

/**
 * Talks to a running local cloud the way a client and an operator would: customers sign in with
 * their email (created on first use) and call the APIs with their ID token; reads of any order and
 * the analytics use the seeded administrator's token.
 */
export class Shop {
  readonly identity: LocalSignIn;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly dynamo: DynamoDBDocumentClient;
  readonly topicArn: string;

  constructor(readonly cloud: AttachedCloud) {
    const config = {
      endpoint: cloud.awsEndpoint,
      region: cloud.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    this.sqs = new SQSClient(config);
    this.sns = new SNSClient(config);
    this.dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(config));
    this.topicArn = `arn:aws:sns:${cloud.region}:000000000000:shop-events-${cloud.stage}`;
    this.identity = new LocalSignIn(cloud.awsEndpoint, cloud.region, cloud.stage, findRepoRoot());
  }

  /** `Authorization` header of a customer (by email) or, with `admin`, of the administrator. */
  async auth(email: string | 'admin'): Promise<Record<string, string>> {
    return email === 'admin'
      ? { Authorization: `Bearer ${await this.identity.adminToken()}` }
      : this.identity.headers(email);
  }

  async placeOrder(
    email: string,
    lines: OrderLineInput[],
    paymentToken = 'tok_sandbox_success',
    correlationId?: string,
  ): Promise<Json> {
    const response = await this.postOrder(email, lines, paymentToken, correlationId);
    if (response.status !== 201)
      throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  /** POST /orders as a client sends it: the response as it came, headers included. */
  async postOrder(
    email: string,
    lines: OrderLineInput[],
    paymentToken = 'tok_sandbox_success',
    correlationId?: string,
  ): Promise<Response> {
    return fetch(`${this.cloud.baseUrl}/orders`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(await this.auth(email)),
        ...(correlationId ? { 'X-Correlation-Id': correlationId } : {}),
      },
      body: JSON.stringify({ lines, paymentToken }),
    });
  }

  /** Any order, read as the administrator. */
  async order(orderId: string): Promise<Json> {
    return (
      await fetch(`${this.cloud.baseUrl}/orders/${orderId}`, { headers: await this.auth('admin') })
    ).json();
  }

  /** Polls the order until it leaves PENDING (or the deadline passes). */
  async settled(orderId: string, timeoutMs = 30_000): Promise<Json> {
    return pollUntil(
      `order ${orderId} to be CONFIRMED or CANCELLED`,
      async () => {
        const order = await this.order(orderId);
        return order.status === 'PENDING' ? undefined : order;
      },
      { timeoutMs, intervalMs: 200 },
    );
  }

  async product(productId: string): Promise<Json> {
    return (await fetch(`${this.cloud.baseUrl}/products/${productId}`)).json();
  }

  async payment(orderId: string): Promise<Json> {
    const { Item } = await this.dynamo.send(
      new GetCommand({
        TableName: `shop-payment-${this.cloud.stage}-payments`,
        Key: { orderId },
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  async emailsTo(address: string): Promise<Json[]> {
    const store = (await (await fetch(`${this.cloud.mailViewerUrl}/store`)).json()) as {
      emails: Json[];
    };
    return store.emails.filter((email) => email.destination.to.includes(address));
  }

  /** Log lines (JSON) a service printed. */
  logsOf(service: string): Json[] {
    const prefix = `[${service}] {`;
    return this.cloud
      .output()
      .filter((line) => line.startsWith(prefix))
      .map((line) => JSON.parse(line.slice(service.length + 3)));
  }

  /** Invokes a function now, as its schedule would (serverless-offline's Lambda API). */
  async invoke(service: string, functionName: string, event: unknown = {}): Promise<Json> {
    const port = this.cloud.services.find((s) => s.name === service)?.lambdaPort;
    const response = await fetch(
      `http://127.0.0.1:${port}/2015-03-31/functions/shop-${service}-${this.cloud.stage}-${functionName}/invocations`,
      { method: 'POST', body: JSON.stringify(event) },
    );
    return response.json();
  }

  async analyticsSummary(): Promise<Json> {
    await this.invoke('analytics', 'rollUp');
    return (
      await fetch(`${this.cloud.baseUrl}/analytics/summary`, { headers: await this.auth('admin') })
    ).json();
  }

  async queueUrl(name: string): Promise<string> {
    return (await this.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;
  }

  /** A queue subscribed to every event on the bus (raw delivery), to watch the whole flow. */
  async tapTheBus(name: string): Promise<BusTap> {
    const { QueueUrl } = await this.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const { SubscriptionArn } = await this.sns.send(
      new SubscribeCommand({
        TopicArn: this.topicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    return new BusTap(this, QueueUrl as string, SubscriptionArn as string);
  }

  /** Publishes an event exactly as its producer did (same id, same attributes). */
  async republish(event: Json): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: event.eventType },
          correlationId: { DataType: 'String', StringValue: event.correlationId },
        },
      }),
    );
  }
}

/** Everything published on the bus since the tap was made. */
export class BusTap {
  readonly events: Json[] = [];

  constructor(
    private readonly shop: Shop,
    private readonly queueUrl: string,
    private readonly subscriptionArn: string,
  ) {}

  /** Unsubscribes and deletes the queue: on a shared cloud the bus would feed it for good. */
  async close(): Promise<void> {
    await this.shop.sns.send(new UnsubscribeCommand({ SubscriptionArn: this.subscriptionArn }));
    await this.shop.sqs.send(new DeleteQueueCommand({ QueueUrl: this.queueUrl }));
  }

  async drain(): Promise<Json[]> {
    for (;;) {
      const { Messages = [] } = await this.shop.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
        }),
      );
      if (Messages.length === 0) return this.events;
      this.events.push(...Messages.map((m) => JSON.parse(m.Body ?? '{}')));
    }
  }

  async of(correlationId: string): Promise<Json[]> {
    await this.drain();
    return this.events.filter((event) => event.correlationId === correlationId);
  }
}

export const eur = (amount: number) => ({ amount, currency: 'EUR' });

/** A fresh customer address per test, so emails and orders never mix between tests. */
export const customer = (name: string) =>
  `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

export interface RunningShop {
  cloud: AttachedCloud;
  shop: Shop;
  /** Everything published on the bus since the file's tests began. */
  bus: BusTap;
}

/** How long a file may wait for its turn on the shared cloud while other files use it. */
const TURN_TIMEOUT_MS = 30 * 60_000;

/**
 * The local cloud for a test file: the one jest's global setup started for the e2e run under that
 * name (sharedCloud.ts), used by one file at a time; a cloud of the file's own (free ports,
 * stopped after its tests) when no setup started one. The fields are set once the file's
 * `beforeAll` hooks have run; `cloud.output()` holds what the cloud printed from then on.
 *
 * A file on a shared cloud must not depend on what files before it did: its customers, products
 * and correlation ids are its own, and it asserts on what it caused, never on totals (emails, DLQ
 * depth, analytics) that other files add to.
 */
export function useLocalCloud(busTapName: string, name: CloudName = 'main'): RunningShop {
  const running = {} as RunningShop;
  let release: (() => void) | undefined;
  let own: LocalCloudProcess | undefined;
  beforeAll(async () => {
    const turn = await takeTurnOnSharedCloud(name, TURN_TIMEOUT_MS);
    release = turn?.release;
    if (turn) running.cloud = turn.cloud;
    else running.cloud = own = await startLocalCloudProcess({ env: CLOUDS[name] });
    running.shop = new Shop(running.cloud);
    running.bus = await running.shop.tapTheBus(`${busTapName}-${Date.now().toString(36)}`);
  }, TURN_TIMEOUT_MS + 180_000);
  afterAll(async () => {
    try {
      if (release && running.shop) {
        await running.bus?.close();
        // A drill that failed before starting its service again must not leave it down for the
        // next file (starting a running service does nothing).
        for (const service of running.cloud.services) {
          await fetch(`${running.cloud.baseUrl}/_local/services/${service.name}/start`, {
            method: 'POST',
          });
        }
      }
    } finally {
      release?.();
      await own?.stop();
    }
  });
  return running;
}
