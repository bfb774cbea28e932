import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { apiGatewayEvent, fakeContext } from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';

// Handlers with their real adapters, the SDK mocked underneath: what each request reads and writes.

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:shop-events-test';
process.env.ORDERS_TABLE = 'orders-test';
process.env.ORDER_IDEMPOTENCY_TABLE = 'idempotency-test';
process.env.EVENT_BUS_TOPIC_ARN = TOPIC_ARN;

const documentClient = mockClient(DynamoDBDocumentClient);
const dynamoDb = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);

afterEach(() => {
  documentClient.reset();
  dynamoDb.reset();
  sns.reset();
});

const order = {
  customerId: 'cust-42',
  customerEmail: 'ada@example.com',
  lines: [{ productId: 'prod-1', quantity: 3, unitPrice: { amount: 250, currency: 'EUR' } }],
  paymentToken: 'tok_sandbox_success',
};

const storedOrder = {
  orderId: '5f0c6a8e-3b2d-4c55-9f59-2a8f4f1f2b11',
  ...order,
  total: { amount: 750, currency: 'EUR' },
  status: 'PENDING',
  outcomes: {},
  correlationId: 'corr-1',
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  published: false,
  outbox: 'PENDING',
  timeline: [{ at: '2026-11-27T10:00:00.000Z', event: 'OrderPlaced' }],
};

const post = (body: unknown, headers: Record<string, string> = {}) =>
  apiGatewayEvent({
    method: 'POST',
    path: '/orders',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('Function: createOrder', () => {
  const load = async () => (await import('../../src/functions/createOrder/handler')).handler;

  it('stores the order unpublished, publishes OrderCreated, then marks it published', async () => {
    const handler = await load();

    const response = await handler(
      post(order, { 'x-correlation-id': 'corr-create' }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(201);
    const body = JSON.parse(String(response.body));
    expect(body.total).toEqual({ amount: 750, currency: 'EUR' });
    expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'orders-test',
      ConditionExpression: 'attribute_not_exists(orderId)',
      Item: expect.objectContaining({ orderId: body.orderId, outbox: 'PENDING', published: false }),
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC_ARN,
      MessageAttributes: expect.objectContaining({
        eventType: { DataType: 'String', StringValue: 'OrderCreated' },
        correlationId: { DataType: 'String', StringValue: 'corr-create' },
      }),
    });
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { orderId: body.orderId },
      ExpressionAttributeNames: { '#flag': 'published' },
    });
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { orderId: body.orderId },
      UpdateExpression: 'REMOVE outbox',
    });
  });

  it('still answers 201 when the bus is down, leaving the order for the sweeper', async () => {
    sns.on(PublishCommand).rejects(new Error('SNS unavailable'));
    const handler = await load();

    const response = await handler(post(order), fakeContext());

    expect(response.statusCode).toBe(201);
    expect(documentClient).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(documentClient).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('answers 500 without details and publishes nothing when the write fails', async () => {
    documentClient
      .on(PutCommand)
      .rejects(new Error('ProvisionedThroughputExceeded: secret detail'));
    const handler = await load();

    const response = await handler(post(order), fakeContext());

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret detail');
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('rejects an unusable Idempotency-Key before touching any table', async () => {
    const handler = await load();

    const response = await handler(post(order, { 'idempotency-key': 'has spaces' }), fakeContext());

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body)).issues[0].path).toBe('headers.Idempotency-Key');
    expect(documentClient).not.toHaveReceivedCommand(PutCommand);
    expect(dynamoDb).not.toHaveReceivedAnyCommand();
  });

  it('treats a repeated create of the same order id as already done', async () => {
    documentClient
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const handler = await load();

    const response = await handler(post(order), fakeContext());

    expect(response.statusCode).toBe(201);
  });
});

describe('Function: getOrder', () => {
  const load = async () => (await import('../../src/functions/getOrder/handler')).handler;

  it('returns the order without the payment token or internal fields', async () => {
    documentClient.on(GetCommand).resolves({ Item: storedOrder });
    const handler = await load();

    const response = await handler(
      apiGatewayEvent({
        path: `/orders/${storedOrder.orderId}`,
        pathParameters: { id: storedOrder.orderId },
      }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(200);
    const body = JSON.parse(String(response.body));
    expect(body).toMatchObject({ orderId: storedOrder.orderId, status: 'PENDING' });
    for (const hidden of ['paymentToken', 'outbox', 'published', 'outcomes', 'correlationId']) {
      expect(body).not.toHaveProperty(hidden);
    }
    expect(documentClient).toHaveReceivedCommandWith(GetCommand, {
      ConsistentRead: true,
      Key: { orderId: storedOrder.orderId },
    });
  });

  it('answers 404 for an order that does not exist', async () => {
    documentClient.on(GetCommand).resolves({});
    const handler = await load();

    const response = await handler(
      apiGatewayEvent({ path: '/orders/x', pathParameters: { id: 'x' } }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(404);
  });
});

describe('Function: listOrders', () => {
  const load = async () => (await import('../../src/functions/listOrders/handler')).handler;

  it("queries the customer's index newest first and returns the next cursor", async () => {
    documentClient.on(QueryCommand).resolves({
      Items: [storedOrder],
      LastEvaluatedKey: {
        orderId: storedOrder.orderId,
        customerId: 'cust-42',
        createdAt: storedOrder.createdAt,
      },
    });
    const handler = await load();

    const response = await handler(
      apiGatewayEvent({ path: '/orders', query: { customerId: 'cust-42', limit: '1' } }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(200);
    const body = JSON.parse(String(response.body));
    expect(body.items).toHaveLength(1);
    expect(typeof body.nextCursor).toBe('string');
    expect(documentClient).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byCustomer',
      ScanIndexForward: false,
      Limit: 1,
      ExpressionAttributeValues: { ':customerId': 'cust-42' },
    });
  });

  it('answers 400 naming limit when it is out of range, without querying', async () => {
    const handler = await load();

    const response = await handler(
      apiGatewayEvent({ path: '/orders', query: { customerId: 'c', limit: '1000' } }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body)).issues.map((i: { path: string }) => i.path)).toEqual([
      'limit',
    ]);
    expect(documentClient).not.toHaveReceivedCommand(QueryCommand);
  });

  it("answers 400 for another customer's cursor", async () => {
    const handler = await load();
    const foreignCursor = Buffer.from(
      JSON.stringify({
        orderId: 'o',
        customerId: 'someone-else',
        createdAt: '2026-01-01T00:00:00.000Z',
      }),
    ).toString('base64url');

    const response = await handler(
      apiGatewayEvent({ path: '/orders', query: { customerId: 'cust-42', cursor: foreignCursor } }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(400);
    expect(documentClient).not.toHaveReceivedCommand(QueryCommand);
  });
});

describe('Function: publishPendingOrders', () => {
  const load = async () =>
    (await import('../../src/functions/publishPendingOrders/handler')).handler;

  it('publishes OrderCreated for stored but unpublished orders and marks them published', async () => {
    documentClient.on(QueryCommand).resolves({ Items: [storedOrder] });
    const handler = await load();

    const result = await handler({}, fakeContext());

    expect(result).toEqual({ published: 1 });
    expect(documentClient).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byOutbox' });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const message = JSON.parse(String(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message));
    expect(message).toMatchObject({
      eventType: 'OrderCreated',
      correlationId: 'corr-1',
      data: { orderId: storedOrder.orderId },
    });
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { orderId: storedOrder.orderId },
    });
  });

  it('fails the invocation, so the alarm sees it, when an order still cannot be published', async () => {
    documentClient.on(QueryCommand).resolves({ Items: [storedOrder] });
    sns.on(PublishCommand).rejects(new Error('SNS unavailable'));
    const handler = await load();

    await expect(handler({}, fakeContext())).rejects.toThrow('1 order(s) still unpublished');
    expect(documentClient).not.toHaveReceivedCommand(UpdateCommand);
  });
});
