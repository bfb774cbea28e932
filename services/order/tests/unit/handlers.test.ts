import 'aws-sdk-client-mock-jest';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { adminClaims, apiGatewayEvent, customerClaims, fakeContext } from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';

// Handlers with their real adapters, the SDK mocked underneath: what each request reads and writes.

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:shop-events-test';
process.env.ORDERS_TABLE = 'orders-test';
process.env.ORDER_IDEMPOTENCY_TABLE = 'idempotency-test';
process.env.EVENT_BUS_TOPIC_ARN = TOPIC_ARN;
process.env.PAGE_CURSOR_KEY = 'test-page-cursor-key-0123456789abcdef';

const documentClient = mockClient(DynamoDBDocumentClient);
const dynamoDb = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);

afterEach(() => {
  documentClient.reset();
  dynamoDb.reset();
  sns.reset();
});

type Claims = Record<string, unknown>;

/** A valid body of POST /orders: who orders comes from the token, not from here. */
const order = {
  lines: [{ productId: 'prod-1', quantity: 3, unitPrice: { amount: 250, currency: 'EUR' } }],
  paymentToken: 'tok_sandbox_success',
};

/** An order of cust-42, the customer of `customerClaims()`, as the table holds it. */
const storedOrder = {
  orderId: '5f0c6a8e-3b2d-4c55-9f59-2a8f4f1f2b11',
  customerId: 'cust-42',
  customerEmail: 'ada@example.com',
  ...order,
  total: { amount: 750, currency: 'EUR' },
  status: 'PENDING',
  outcomes: {},
  correlationId: 'corr-1',
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  published: false,
  outbox: 'PENDING',
  timeline: [{ at: '2026-11-27T10:00:00.000Z', event: 'OrderCreated' }],
};

/** POST /orders as the customer of `claims`; `null` claims send no token. */
const post = (
  body: unknown,
  headers: Record<string, string> = {},
  claims: Claims | null = customerClaims(),
) =>
  apiGatewayEvent({
    method: 'POST',
    path: '/orders',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(claims ? { claims } : {}),
  });

/** GET /orders/{id} as the customer of `claims`; `null` claims send no token. */
const getById = (id: string, claims: Claims | null = customerClaims()) =>
  apiGatewayEvent({
    path: `/orders/${id}`,
    pathParameters: { id },
    ...(claims ? { claims } : {}),
  });

/** GET /orders as the customer of `claims`; `null` claims send no token. */
const list = (query: Record<string, string>, claims: Claims | null = customerClaims()) =>
  apiGatewayEvent({ path: '/orders', query, ...(claims ? { claims } : {}) });

const bodyOf = (response: { body?: string }) => JSON.parse(String(response.body));

/**
 * The idempotency table, faked just far enough for Powertools: a put that fails, returning the
 * stored record, when the key exists, and the update that completes a record.
 */
function fakeIdempotencyTable() {
  const items = new Map<string, Record<string, AttributeValue>>();
  dynamoDb.on(PutItemCommand).callsFake(({ Item = {} }) => {
    const id = Item.id?.S ?? '';
    const existing = items.get(id);
    if (existing) {
      throw new ConditionalCheckFailedException({
        message: 'exists',
        $metadata: {},
        Item: existing,
      });
    }
    items.set(id, Item);
    return {};
  });
  dynamoDb
    .on(UpdateItemCommand)
    .callsFake(({ Key = {}, ExpressionAttributeNames = {}, ExpressionAttributeValues = {} }) => {
      const id = Key.id?.S ?? '';
      const item = { ...items.get(id) };
      for (const [placeholder, name] of Object.entries(ExpressionAttributeNames)) {
        const value = ExpressionAttributeValues[`:${placeholder.slice(1)}`];
        if (value) item[name as string] = value;
      }
      items.set(id, item);
      return {};
    });
  return items;
}

/** The orders the handler wrote, in order. */
const putOrders = () =>
  documentClient
    .commandCalls(PutCommand)
    .map((call) => call.args[0].input.Item as Record<string, unknown>);

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
      UpdateExpression: 'REMOVE outbox, parked, publishAttempts',
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

describe('Function: createOrder (the caller is the customer)', () => {
  const load = async () => (await import('../../src/functions/createOrder/handler')).handler;

  it('answers 401 without a token, touching no table and publishing nothing', async () => {
    const handler = await load();

    const response = await handler(post(order, {}, null), fakeContext());

    expect(response.statusCode).toBe(401);
    expect(response.headers).toMatchObject({ 'WWW-Authenticate': 'Bearer' });
    expect(bodyOf(response)).toMatchObject({ title: 'Unauthorized', status: 401 });
    expect(documentClient).not.toHaveReceivedAnyCommand();
    expect(dynamoDb).not.toHaveReceivedAnyCommand();
    expect(sns).not.toHaveReceivedAnyCommand();
  });

  it("stores and publishes the token's sub as customerId and its email as customerEmail", async () => {
    // Prepare
    const handler = await load();

    // Act
    const response = await handler(
      post(order, {}, customerClaims('cust-7', 'grace@example.com')),
      fakeContext(),
    );

    // Assess
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toMatchObject({
      customerId: 'cust-7',
      customerEmail: 'grace@example.com',
    });
    expect(putOrders()).toEqual([
      expect.objectContaining({ customerId: 'cust-7', customerEmail: 'grace@example.com' }),
    ]);
    const message = JSON.parse(String(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message));
    expect(message.data).toMatchObject({
      customerId: 'cust-7',
      customerEmail: 'grace@example.com',
    });
  });

  it.each([
    [['customerId'], { customerId: 'cust-7' }],
    [['customerEmail'], { customerEmail: 'eve@example.com' }],
    [['customerId', 'customerEmail'], { customerId: 'cust-7', customerEmail: 'eve@example.com' }],
  ])('answers 400 naming %j when the body names the customer', async (fields, extra) => {
    // Prepare
    const handler = await load();

    // Act
    const response = await handler(post({ ...order, ...extra }), fakeContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).issues).toEqual(
      fields.map((path) => ({
        path,
        message: expect.stringContaining('is taken from your sign-in token'),
      })),
    );
    expect(documentClient).not.toHaveReceivedCommand(PutCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('answers 403 to a token without a verified email, storing nothing', async () => {
    const handler = await load();

    const response = await handler(
      post(order, {}, { ...customerClaims(), email_verified: 'false' }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(403);
    expect(bodyOf(response)).toMatchObject({
      title: 'Forbidden',
      detail: expect.stringContaining('verified email'),
    });
    expect(documentClient).not.toHaveReceivedCommand(PutCommand);
  });

  describe('Idempotency-Key', () => {
    it('replays the first order to the same customer sending the same key again', async () => {
      // Prepare
      const idempotencyTable = fakeIdempotencyTable();
      const handler = await load();
      const request = () => post(order, { 'idempotency-key': 'key-1' });

      // Act
      const first = await handler(request(), fakeContext());
      const second = await handler(request(), fakeContext());

      // Assess
      expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
      expect(bodyOf(second)).toEqual(bodyOf(first));
      expect(putOrders()).toHaveLength(1);
      expect(idempotencyTable.size).toBe(1);
    });

    it('creates one order per customer when two customers send the same key', async () => {
      // Prepare
      const idempotencyTable = fakeIdempotencyTable();
      const handler = await load();
      const headers = { 'idempotency-key': 'key-1' };

      // Act
      const ada = await handler(
        post(order, headers, customerClaims('cust-1', 'ada@example.com')),
        fakeContext(),
      );
      const grace = await handler(
        post(order, headers, customerClaims('cust-2', 'grace@example.com')),
        fakeContext(),
      );

      // Assess
      expect([ada.statusCode, grace.statusCode]).toEqual([201, 201]);
      expect(bodyOf(ada)).toMatchObject({ customerId: 'cust-1', customerEmail: 'ada@example.com' });
      expect(bodyOf(grace)).toMatchObject({
        customerId: 'cust-2',
        customerEmail: 'grace@example.com',
      });
      expect(bodyOf(grace).orderId).not.toBe(bodyOf(ada).orderId);
      expect(putOrders().map((item) => item.customerId)).toEqual(['cust-1', 'cust-2']);
      expect(idempotencyTable.size).toBe(2);
    });
  });
});

describe('Function: getOrder', () => {
  const load = async () => (await import('../../src/functions/getOrder/handler')).handler;

  it('returns the order without the payment token or internal fields', async () => {
    documentClient.on(GetCommand).resolves({ Item: storedOrder });
    const handler = await load();

    const response = await handler(getById(storedOrder.orderId), fakeContext());

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

    const response = await handler(getById('x'), fakeContext());

    expect(response.statusCode).toBe(404);
  });

  it("answers 404 for another customer's order, with the body of a missing one", async () => {
    // Prepare
    const handler = await load();
    const stranger = customerClaims('cust-7', 'eve@example.com');

    // Act
    documentClient.on(GetCommand).resolves({ Item: storedOrder });
    const foreign = await handler(getById(storedOrder.orderId, stranger), fakeContext());
    documentClient.on(GetCommand).resolves({});
    const missing = await handler(getById(storedOrder.orderId, stranger), fakeContext());

    // Assess
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toBe(missing.body);
    expect(foreign.headers?.['Content-Type']).toBe(missing.headers?.['Content-Type']);
    expect(foreign.body).not.toContain('cust-42');
  });

  it("returns any customer's order to an administrator", async () => {
    documentClient.on(GetCommand).resolves({ Item: storedOrder });
    const handler = await load();

    const response = await handler(getById(storedOrder.orderId, adminClaims()), fakeContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({ orderId: storedOrder.orderId, customerId: 'cust-42' });
  });

  it('answers 401 without a token, without reading', async () => {
    const handler = await load();

    const response = await handler(getById(storedOrder.orderId, null), fakeContext());

    expect(response.statusCode).toBe(401);
    expect(documentClient).not.toHaveReceivedAnyCommand();
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

    const response = await handler(list({ limit: '1' }), fakeContext());

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

    const response = await handler(list({ limit: '1000' }), fakeContext());

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

    const response = await handler(list({ cursor: foreignCursor }), fakeContext());

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).issues.map((i: { path: string }) => i.path)).toEqual(['cursor']);
    expect(documentClient).not.toHaveReceivedCommand(QueryCommand);
  });

  it("queries the caller's own orders, whoever the caller is", async () => {
    documentClient.on(QueryCommand).resolves({ Items: [] });
    const handler = await load();

    const response = await handler(
      list({}, customerClaims('cust-7', 'grace@example.com')),
      fakeContext(),
    );

    expect(response.statusCode).toBe(200);
    expect(documentClient).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':customerId': 'cust-7' },
    });
  });

  it.each(['cust-7', 'cust-42'])(
    'answers 400 naming customerId when a customer sends customerId=%s, without querying',
    async (customerId) => {
      const handler = await load();

      const response = await handler(list({ customerId }), fakeContext());

      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).issues.map((i: { path: string }) => i.path)).toEqual(['customerId']);
      expect(documentClient).not.toHaveReceivedCommand(QueryCommand);
    },
  );

  it("lists the named customer's orders for an administrator", async () => {
    documentClient.on(QueryCommand).resolves({ Items: [storedOrder] });
    const handler = await load();

    const response = await handler(list({ customerId: 'cust-42' }, adminClaims()), fakeContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response).items).toEqual([
      expect.objectContaining({ orderId: storedOrder.orderId }),
    ]);
    expect(documentClient).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':customerId': 'cust-42' },
    });
  });

  it('answers 401 without a token, without querying', async () => {
    const handler = await load();

    const response = await handler(list({}, null), fakeContext());

    expect(response.statusCode).toBe(401);
    expect(documentClient).not.toHaveReceivedAnyCommand();
  });
});

describe('Function: publishPendingOrders', () => {
  const load = async () =>
    (await import('../../src/functions/publishPendingOrders/handler')).handler;

  it('publishes OrderCreated for stored but unpublished orders and marks them published', async () => {
    documentClient.on(QueryCommand).resolves({ Items: [storedOrder] });
    const handler = await load();

    const result = await handler({}, fakeContext());

    expect(result).toEqual({ published: 1, parked: 0 });
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
    // Only the failed attempt is counted; nothing is marked published.
    expect(documentClient).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'outbox = :pending',
    });
  });
});
