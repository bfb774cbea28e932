import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { SnsEventPublisher } from '@shop/aws-adapters';
import type { ShopEvent } from '@shop/contracts';
import {
  type ApiGatewayEventOptions,
  adminClaims,
  apiGatewayEvent,
  customerClaims,
  fakeContext,
} from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';

// Handlers with their real adapters, DynamoDB mocked underneath: what each request reads and
// writes. The bus is stubbed at the publisher, whose wire format its own package tests.

process.env.PRODUCTS_TABLE = 'products-test';
process.env.RESERVATIONS_TABLE = 'reservations-test';
process.env.EVENT_BUS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:shop-events-test';

const documentClient = mockClient(DynamoDBDocumentClient);
const publish = jest.spyOn(SnsEventPublisher.prototype, 'publish');

beforeEach(() => {
  publish.mockResolvedValue(undefined);
});

afterEach(() => {
  documentClient.reset();
  publish.mockReset();
});

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** An item as the seed writes it: no version, no price history. */
const seededItem = {
  productId: 'prod-espresso-beans',
  name: 'Espresso beans, 1 kg',
  price: { amount: 1450, currency: 'EUR' },
  stock: 40,
  hold_order1: 2,
};

const versionedItem = (version: number, overrides: Record<string, unknown> = {}) => ({
  ...seededItem,
  version,
  priceHistory: [],
  ...overrides,
});

const request = (options: ApiGatewayEventOptions) =>
  apiGatewayEvent({
    ...options,
    headers: { 'content-type': 'application/json', ...options.headers },
  });

const bodyOf = (response: { body?: string }) => JSON.parse(String(response.body));
const issuePaths = (response: { body?: string }) =>
  (bodyOf(response).issues as { path: string }[]).map((issue) => issue.path);

describe('Function: getProduct', () => {
  const load = async () => (await import('../../src/functions/getProduct/handler')).handler;

  it('answers anyone with the product and its ETag, hiding holds and bookkeeping', async () => {
    // Prepare
    documentClient.on(GetCommand).resolves({
      Item: versionedItem(4, {
        priceHistory: [
          { price: { amount: 1450, currency: 'EUR' }, effectiveFrom: '2026-01-01T00:00:00.000Z' },
        ],
      }),
    });
    const handler = await load();

    // Act
    const response = await handler(
      apiGatewayEvent({
        path: '/products/prod-espresso-beans',
        pathParameters: { id: 'prod-espresso-beans' },
      }),
      fakeContext(),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.ETag).toBe('"v4"');
    expect(bodyOf(response)).toEqual({
      productId: 'prod-espresso-beans',
      name: 'Espresso beans, 1 kg',
      price: { amount: 1450, currency: 'EUR' },
      stock: 40,
    });
  });

  it('gives a product stored before versioning the ETag of version 0', async () => {
    documentClient.on(GetCommand).resolves({ Item: seededItem });
    const handler = await load();

    const response = await handler(
      apiGatewayEvent({ path: '/products/x', pathParameters: { id: 'prod-espresso-beans' } }),
      fakeContext(),
    );

    expect(response.headers?.ETag).toBe('"v0"');
  });

  it('answers 404 for a product that does not exist', async () => {
    documentClient.on(GetCommand).resolves({});
    const handler = await load();

    const response = await handler(
      apiGatewayEvent({ path: '/products/nope', pathParameters: { id: 'nope' } }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(404);
  });
});

describe('Function: listProducts', () => {
  const load = async () => (await import('../../src/functions/listProducts/handler')).handler;

  it('answers anyone with the page, without versions, price histories or holds', async () => {
    documentClient.on(ScanCommand).resolves({ Items: [versionedItem(2)] });
    const handler = await load();

    const response = await handler(apiGatewayEvent({ path: '/products' }), fakeContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response).items).toEqual([
      {
        productId: 'prod-espresso-beans',
        name: 'Espresso beans, 1 kg',
        price: { amount: 1450, currency: 'EUR' },
        stock: 40,
      },
    ]);
  });
});

describe('Function: createProduct', () => {
  const load = async () => (await import('../../src/functions/createProduct/handler')).handler;
  const newProduct = {
    productId: 'prod-filter-papers',
    name: 'Filter papers, 100 pcs',
    price: { amount: 450, currency: 'EUR' },
  };
  /** `claims: null` sends no token at all. */
  const post = (body: unknown, claims: Record<string, unknown> | null = adminClaims()) =>
    request({ method: 'POST', path: '/products', body, ...(claims ? { claims } : {}) });

  it('stores the product at version 1 unless the id is taken, answering 201 with Location and ETag', async () => {
    // Prepare
    const handler = await load();

    // Act
    const response = await handler(post(newProduct), fakeContext());

    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({
      Location: '/products/prod-filter-papers',
      ETag: '"v1"',
    });
    expect(bodyOf(response)).toEqual({ ...newProduct, stock: 0 });
    expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'products-test',
      ConditionExpression: 'attribute_not_exists(productId)',
      Item: { ...newProduct, stock: 0, version: 1, priceHistory: [] },
    });
  });

  it('answers 409 when a product with the id exists', async () => {
    documentClient.on(PutCommand).rejects(conditionFailed());
    const handler = await load();

    const response = await handler(post(newProduct), fakeContext());

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response).detail).toContain('prod-filter-papers already exists');
  });

  it('answers 400 naming each invalid and unknown field, writing nothing', async () => {
    const handler = await load();

    const response = await handler(
      post({ ...newProduct, productId: 'Bad Id', price: { amount: -1, currency: 'EUR' }, x: 1 }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(400);
    expect(issuePaths(response).sort()).toEqual(['price.amount', 'productId', 'x']);
    expect(documentClient).not.toHaveReceivedAnyCommand();
  });

  it('answers 403 to a signed-in customer and 401 without a token, writing nothing', async () => {
    const handler = await load();

    const asCustomer = await handler(post(newProduct, customerClaims()), fakeContext());
    const anonymous = await handler(post(newProduct, null), fakeContext());

    expect(asCustomer.statusCode).toBe(403);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers?.['WWW-Authenticate']).toBe('Bearer');
    expect(documentClient).not.toHaveReceivedAnyCommand();
  });
});

describe('Function: changeProduct', () => {
  const load = async () => (await import('../../src/functions/changeProduct/handler')).handler;
  const patch = (
    body: unknown,
    ifMatch: string | undefined,
    claims: Record<string, unknown> = adminClaims(),
  ) =>
    request({
      method: 'PATCH',
      path: '/products/prod-espresso-beans',
      pathParameters: { id: 'prod-espresso-beans' },
      headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
      body,
      claims,
    });

  it('writes the new details conditionally on the version read and answers the next ETag', async () => {
    // Prepare
    documentClient.on(GetCommand).resolves({ Item: versionedItem(2) });
    documentClient
      .on(UpdateCommand)
      .resolves({ Attributes: versionedItem(3, { name: 'Espresso beans' }) });
    const handler = await load();

    // Act
    const response = await handler(patch({ name: 'Espresso beans' }, '"v2"'), fakeContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.ETag).toBe('"v3"');
    expect(bodyOf(response).name).toBe('Espresso beans');
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { productId: 'prod-espresso-beans' },
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: expect.objectContaining({
        ':expected': 2,
        ':next': 3,
        ':name': 'Espresso beans',
      }),
    });
    const update = documentClient.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.UpdateExpression).not.toMatch(/stock|hold_/);
  });

  it('expects a product stored before versioning to have no version at all for "v0"', async () => {
    documentClient.on(GetCommand).resolves({ Item: seededItem });
    documentClient.on(UpdateCommand).resolves({ Attributes: versionedItem(1) });
    const handler = await load();

    const response = await handler(patch({ description: 'Dark' }, '"v0"'), fakeContext());

    expect(response.statusCode).toBe(200);
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'attribute_exists(productId) AND attribute_not_exists(#version)',
    });
  });

  it('answers 428 without If-Match (or with *), reading nothing', async () => {
    const handler = await load();

    const without = await handler(patch({ name: 'x' }, undefined), fakeContext());
    const star = await handler(patch({ name: 'x' }, '*'), fakeContext());

    expect([without.statusCode, star.statusCode]).toEqual([428, 428]);
    expect(bodyOf(without).detail).toContain('If-Match');
    expect(documentClient).not.toHaveReceivedAnyCommand();
  });

  it('answers 412 to a stale If-Match without writing', async () => {
    documentClient.on(GetCommand).resolves({ Item: versionedItem(3) });
    const handler = await load();

    const response = await handler(patch({ name: 'x' }, '"v2"'), fakeContext());

    expect(response.statusCode).toBe(412);
    expect(bodyOf(response).detail).toContain('"v3"');
    expect(documentClient).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('answers 412 when another write lands between the read and the conditional update', async () => {
    // Prepare
    documentClient
      .on(GetCommand)
      .resolvesOnce({ Item: versionedItem(2) })
      .resolves({ Item: versionedItem(3) });
    documentClient.on(UpdateCommand).rejects(conditionFailed());
    const handler = await load();

    // Act
    const response = await handler(patch({ name: 'x' }, '"v2"'), fakeContext());

    // Assess
    expect(response.statusCode).toBe(412);
  });

  it.each(['W/"v2"', 'v2', '"v2", "v3"'])(
    'answers 412 to If-Match %s, which can never match',
    async (ifMatch) => {
      const handler = await load();

      const response = await handler(patch({ name: 'x' }, ifMatch), fakeContext());

      expect(response.statusCode).toBe(412);
      expect(documentClient).not.toHaveReceivedAnyCommand();
    },
  );

  it('answers 400 naming unknown fields such as stock', async () => {
    const handler = await load();

    const response = await handler(patch({ name: 'x', stock: 99 }, '"v2"'), fakeContext());

    expect(response.statusCode).toBe(400);
    expect(issuePaths(response)).toEqual(['stock']);
  });

  it('answers 404 for a product that does not exist', async () => {
    documentClient.on(GetCommand).resolves({});
    const handler = await load();

    const response = await handler(patch({ name: 'x' }, '"v0"'), fakeContext());

    expect(response.statusCode).toBe(404);
  });

  it('answers 403 to a signed-in customer', async () => {
    const handler = await load();

    const response = await handler(patch({ name: 'x' }, '"v2"', customerClaims()), fakeContext());

    expect(response.statusCode).toBe(403);
    expect(documentClient).not.toHaveReceivedAnyCommand();
  });
});

describe('Function: adjustStock', () => {
  const load = async () => (await import('../../src/functions/adjustStock/handler')).handler;
  const adjust = (
    body: unknown,
    ifMatch: string | undefined,
    options: { claims?: Record<string, unknown>; anonymous?: boolean } = {},
  ) =>
    request({
      method: 'POST',
      path: '/products/prod-espresso-beans/stock-adjustments',
      pathParameters: { id: 'prod-espresso-beans' },
      headers: {
        'x-correlation-id': 'corr-restock',
        ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
      },
      body,
      ...(options.anonymous ? {} : { claims: options.claims ?? adminClaims() }),
    });

  it('adds the delta atomically and publishes InventoryUpdated with the reason and note', async () => {
    // Prepare
    documentClient.on(UpdateCommand).resolves({ Attributes: versionedItem(5, { stock: 64 }) });
    const handler = await load();

    // Act
    const response = await handler(
      adjust({ delta: 24, reason: 'RESTOCK', note: 'delivery' }, '"v4"'),
      fakeContext(),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.ETag).toBe('"v5"');
    expect(bodyOf(response).stock).toBe(64);
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { productId: 'prod-espresso-beans' },
      UpdateExpression: 'SET stock = stock + :delta, #version = :next',
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':delta': 24, ':expected': 4, ':next': 5 },
    });
    expect(publish).toHaveBeenCalledTimes(1);
    const event = publish.mock.calls[0]?.[0] as ShopEvent<'InventoryUpdated'>;
    expect(event).toMatchObject({
      eventType: 'InventoryUpdated',
      version: 1,
      correlationId: 'corr-restock',
      data: {
        cause: 'RESTOCKED',
        note: 'delivery',
        changes: [{ productId: 'prod-espresso-beans', delta: 24, stock: 64 }],
      },
    });
  });

  it('conditions a removal on the stock covering it, and publishes it as CORRECTED', async () => {
    documentClient.on(UpdateCommand).resolves({ Attributes: versionedItem(1, { stock: 37 }) });
    const handler = await load();

    const response = await handler(
      adjust({ delta: -3, reason: 'CORRECTION' }, '"v0"'),
      fakeContext(),
    );

    expect(response.statusCode).toBe(200);
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression:
        'attribute_exists(productId) AND attribute_not_exists(#version) AND stock >= :needed',
      ExpressionAttributeValues: { ':delta': -3, ':needed': 3, ':next': 1 },
    });
    expect(publish).toHaveBeenCalledWith(
      expect.objectContaining({ data: expect.objectContaining({ cause: 'CORRECTED' }) }),
    );
  });

  it('answers 409 saying why when the stock would go below zero, publishing nothing', async () => {
    // Prepare
    documentClient.on(UpdateCommand).rejects(conditionFailed());
    documentClient.on(GetCommand).resolves({ Item: versionedItem(4, { stock: 2 }) });
    const handler = await load();

    // Act
    const response = await handler(
      adjust({ delta: -5, reason: 'CORRECTION' }, '"v4"'),
      fakeContext(),
    );

    // Assess
    expect(response.statusCode).toBe(409);
    expect(bodyOf(response).detail).toBe(
      'product prod-espresso-beans has 2 in stock; removing 5 would take it below 0',
    );
    expect(publish).not.toHaveBeenCalled();
  });

  it('answers 412 to a stale If-Match, publishing nothing', async () => {
    documentClient.on(UpdateCommand).rejects(conditionFailed());
    documentClient.on(GetCommand).resolves({ Item: versionedItem(6) });
    const handler = await load();

    const response = await handler(adjust({ delta: 1, reason: 'RESTOCK' }, '"v4"'), fakeContext());

    expect(response.statusCode).toBe(412);
    expect(publish).not.toHaveBeenCalled();
  });

  it('answers 404 when the product does not exist', async () => {
    documentClient.on(UpdateCommand).rejects(conditionFailed());
    documentClient.on(GetCommand).resolves({});
    const handler = await load();

    const response = await handler(adjust({ delta: 1, reason: 'RESTOCK' }, '"v0"'), fakeContext());

    expect(response.statusCode).toBe(404);
  });

  it('answers 428 without If-Match, writing and publishing nothing', async () => {
    const handler = await load();

    const response = await handler(
      adjust({ delta: 1, reason: 'RESTOCK' }, undefined),
      fakeContext(),
    );

    expect(response.statusCode).toBe(428);
    expect(documentClient).not.toHaveReceivedAnyCommand();
    expect(publish).not.toHaveBeenCalled();
  });

  it('answers 400 naming delta for a negative restock', async () => {
    const handler = await load();

    const response = await handler(adjust({ delta: -1, reason: 'RESTOCK' }, '"v0"'), fakeContext());

    expect(response.statusCode).toBe(400);
    expect(issuePaths(response)).toEqual(['delta']);
    expect(documentClient).not.toHaveReceivedAnyCommand();
  });

  it('still answers 200 when the bus is down: the stock has changed and must not be changed twice', async () => {
    documentClient.on(UpdateCommand).resolves({ Attributes: versionedItem(1, { stock: 41 }) });
    publish.mockRejectedValue(new Error('SNS unavailable'));
    const handler = await load();

    const response = await handler(adjust({ delta: 1, reason: 'RESTOCK' }, '"v0"'), fakeContext());

    expect(response.statusCode).toBe(200);
    expect(response.headers?.ETag).toBe('"v1"');
  });

  it('answers 403 to a signed-in customer and 401 without a token, touching nothing', async () => {
    const handler = await load();

    const asCustomer = await handler(
      adjust({ delta: 1, reason: 'RESTOCK' }, '"v0"', { claims: customerClaims() }),
      fakeContext(),
    );
    const anonymous = await handler(
      adjust({ delta: 1, reason: 'RESTOCK' }, '"v0"', { anonymous: true }),
      fakeContext(),
    );

    expect([asCustomer.statusCode, anonymous.statusCode]).toEqual([403, 401]);
    expect(documentClient).not.toHaveReceivedAnyCommand();
    expect(publish).not.toHaveBeenCalled();
  });
});

describe('Function: productsMethodNotAllowed', () => {
  const load = async () => (await import('../../src/functions/methodNotAllowed/handler')).handler;

  it.each([
    ['DELETE', '/products', 'GET, POST, OPTIONS'],
    ['PUT', '/products/{id}', 'GET, PATCH, OPTIONS'],
    ['GET', '/products/{id}/stock-adjustments', 'POST, OPTIONS'],
  ])('answers %s %s with 405 and Allow: %s', async (method, route, allow) => {
    const handler = await load();

    const response = await handler(
      apiGatewayEvent({
        method,
        path: route.replace('{id}', 'prod-espresso-beans'),
        routeKey: `ANY ${route}`,
        claims: customerClaims(),
      }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe(allow);
  });
});
