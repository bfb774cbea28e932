import { ListTopicsCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  findRepoRoot,
  type LocalCloudProcess,
  LocalSignIn,
  startLocalCloudProcess,
} from '@shop/local-cloud';
import { pollUntil } from '@shop/testing';

// The order API end to end: real HTTP through the local base URL, serverless-offline running the
// packaged handlers, DynamoDB (dynalite) and SNS/SQS (fauxqs) provisioned from the templates.

jest.setTimeout(180_000);

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field below.
type Json = any;

let cloud: LocalCloudProcess;
let identity: LocalSignIn;
let sqs: SQSClient;
let probeQueueUrl: string;

/** A customer of this run (signed in on first use): orders are the caller's, never the body's. */
const RUN = Date.now().toString(36);
const as = (name: string) => `${name}-${RUN}@example.com`;

const validOrder = () => ({
  lines: [
    { productId: 'prod-espresso-beans', quantity: 2, unitPrice: { amount: 1450, currency: 'EUR' } },
    { productId: 'prod-moka-pot', quantity: 1, unitPrice: { amount: 3999, currency: 'EUR' } },
  ],
  paymentToken: 'tok_sandbox_success',
});

async function post(customer: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${cloud.baseUrl}/orders`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(await identity.headers(as(customer))),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { response, body: (await response.json()) as Json };
}

async function get(customer: string, path: string) {
  const response = await fetch(`${cloud.baseUrl}${path}`, {
    headers: await identity.headers(as(customer)),
  });
  return { response, body: (await response.json()) as Json };
}

beforeAll(async () => {
  cloud = await startLocalCloudProcess({ only: ['order'] });
  identity = new LocalSignIn(cloud.awsEndpoint, cloud.region, cloud.stage, findRepoRoot());
  const config = {
    endpoint: cloud.awsEndpoint,
    region: cloud.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  // A probe queue subscribed to the bus shows what the order service published.
  const { Topics = [] } = await sns.send(new ListTopicsCommand({}));
  const topicArn = Topics.map((t) => t.TopicArn ?? '').find((arn) =>
    arn.endsWith(':shop-events-local'),
  );
  if (!topicArn) throw new Error(`bus topic not provisioned; topics: ${JSON.stringify(Topics)}`);
  ({ QueueUrl: probeQueueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: 'order-api-probe' }),
  ));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: probeQueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: {
        RawMessageDelivery: 'true',
        FilterPolicy: JSON.stringify({ eventType: ['OrderCreated'] }),
      },
    }),
  );
});

afterAll(async () => {
  await cloud?.stop();
});

/** Receives from the probe queue until `match` finds a message, for at most 15 s. */
async function awaitPublished(match: (event: { data: { orderId: string } }) => boolean) {
  const seen: unknown[] = [];
  return pollUntil(
    () => `a matching OrderCreated; saw ${JSON.stringify(seen)}`,
    async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: probeQueueUrl,
          WaitTimeSeconds: 1,
          MaxNumberOfMessages: 10,
        }),
      );
      const events = Messages.map((message) => JSON.parse(message.Body ?? '{}'));
      seen.push(...events);
      return events.find(match);
    },
    // The receive itself waits up to a second for a message: no pause needed between receives.
    { timeoutMs: 15_000, intervalMs: 0 },
  );
}

describe('Order API on the local cloud', () => {
  it('places an order, computes the total in cents and publishes OrderCreated with the correlation id', async () => {
    const { response, body } = await post('cust-place', validOrder(), {
      'X-Correlation-Id': 'it-place-1',
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('x-correlation-id')).toBe('it-place-1');
    expect(response.headers.get('location')).toBe(`/orders/${body.orderId}`);
    expect(body).toMatchObject({
      status: 'PENDING',
      customerEmail: as('cust-place'),
      total: { amount: 2 * 1450 + 3999, currency: 'EUR' },
    });
    expect(body).not.toHaveProperty('paymentToken');

    const event = await awaitPublished((e) => e.data.orderId === body.orderId);
    expect(event).toMatchObject({
      eventType: 'OrderCreated',
      version: 1,
      source: 'order',
      correlationId: 'it-place-1',
      data: {
        orderId: body.orderId,
        total: { amount: 6899, currency: 'EUR' },
        paymentToken: 'tok_sandbox_success',
      },
    });
  });

  it('reads an order back and answers 404 for an unknown one', async () => {
    const placed = await post('cust-read', validOrder());

    const found = await get('cust-read', `/orders/${placed.body.orderId}`);
    const missing = await get('cust-read', '/orders/00000000-0000-4000-8000-000000000000');
    const someoneElse = await get('cust-other', `/orders/${placed.body.orderId}`);

    expect(found.response.status).toBe(200);
    expect(found.body).toEqual(placed.body);
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get('content-type')).toContain('application/problem+json');
    expect(someoneElse.response.status).toBe(404);
  });

  it('returns the same order for a repeated Idempotency-Key and 409 for another body', async () => {
    const key = `it-key-${Date.now()}`;
    const first = await post('cust-idem', validOrder(), { 'Idempotency-Key': key });
    const again = await post('cust-idem', validOrder(), { 'Idempotency-Key': key });
    const other = await post(
      'cust-idem',
      { ...validOrder(), paymentToken: 'tok_other' },
      { 'Idempotency-Key': key },
    );

    expect(first.response.status).toBe(201);
    expect(again.body.orderId).toBe(first.body.orderId);
    expect(other.response.status).toBe(409);
    const listed = await get('cust-idem', '/orders');
    expect(listed.body.items).toHaveLength(1);
  });

  it('rejects bad input with 400 naming every offending field, and stores nothing', async () => {
    const { response, body } = await post('cust-bad', {
      lines: [{ productId: 'p', quantity: 0, unitPrice: { amount: 12.5, currency: 'EUR' } }],
    });
    const naming = await post('cust-bad', { ...validOrder(), customerId: 'someone-else' });

    expect(response.status).toBe(400);
    expect(body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(
      ['lines.0.quantity', 'lines.0.unitPrice.amount', 'paymentToken'].sort(),
    );
    expect(naming.response.status).toBe(400);
    expect(naming.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['customerId']);
    const listed = await get('cust-bad', '/orders');
    expect(listed.body.items).toEqual([]);
  });

  it('answers malformed JSON with 400, other media types with 415, other methods with 405', async () => {
    const auth = await identity.headers(as('cust-media'));
    const malformed = await post('cust-media', '{"lines": ');
    const text = await fetch(`${cloud.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', ...auth },
      body: 'hello',
    });
    const deleted = await fetch(`${cloud.baseUrl}/orders/abc`, { method: 'DELETE', headers: auth });

    expect(malformed.response.status).toBe(400);
    expect(malformed.body.issues[0].path).toBe('body');
    expect(text.status).toBe(415);
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('GET, OPTIONS');
  });

  it("pages through a customer's orders, newest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await post('cust-pages', validOrder())).body.orderId);

    const first = await get('cust-pages', '/orders?limit=2');
    const second = await get('cust-pages', `/orders?limit=2&cursor=${first.body.nextCursor}`);
    const badCursor = await get('cust-pages', '/orders?cursor=bm90LWEtY3Vyc29y');

    expect(first.body.items.map((o: { orderId: string }) => o.orderId)).toEqual([ids[2], ids[1]]);
    expect(second.body.items.map((o: { orderId: string }) => o.orderId)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeUndefined();
    expect(badCursor.response.status).toBe(400);
  });

  it('answers CORS preflights for the order routes', async () => {
    const response = await fetch(`${cloud.baseUrl}/orders`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://shop.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,idempotency-key',
      },
    });

    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBeTruthy();
  });
});
