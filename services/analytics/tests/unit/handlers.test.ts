import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AnalyticsFact,
  AnalyticsSummarySchema,
  emptyAggregate,
  foldFacts,
} from '@shop/analytics-domain';
import { buildEvent, eventCatalogue } from '@shop/contracts';
import {
  adminClaims,
  apiGatewayEvent,
  customerClaims,
  fakeContext,
  sqsEvent,
  sqsRecord,
} from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';

// Handlers with their real adapter, the SDK mocked underneath: what each invocation reads and writes.

const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-analytics-test-events-dlq';
process.env.FACTS_TABLE = 'facts-test';
process.env.EVENTS_DLQ_URL = DLQ_URL;

const documentClient = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

afterEach(() => {
  documentClient.reset();
  sqs.reset();
  jest.useRealTimers();
});

const OCCURRED_AT = new Date('2026-11-27T10:00:00.000Z');
const ORDER_ID = eventCatalogue.OrderConfirmed.example.orderId;

const envelope = { correlationId: 'corr-analytics', occurredAt: OCCURRED_AT };
const eventOf = {
  InventoryUpdated: () =>
    buildEvent('InventoryUpdated', eventCatalogue.InventoryUpdated.example, envelope),
  OrderConfirmed: () =>
    buildEvent('OrderConfirmed', eventCatalogue.OrderConfirmed.example, envelope),
  OrderCancelled: () =>
    buildEvent('OrderCancelled', eventCatalogue.OrderCancelled.example, envelope),
};

/**
 * Asserts that `Item` was written to the facts table only if absent, as every fact is, and marked
 * pending for the next roll-up.
 */
const expectFactWritten = (Item: Record<string, unknown>) =>
  expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
    TableName: 'facts-test',
    ConditionExpression: 'attribute_not_exists(pk)',
    Item: { ...Item, pending: 'PENDING' },
  });

const alreadyRecorded = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('Function: recordEvents', () => {
  const load = async () => (await import('../../src/functions/recordEvents/handler')).handler;

  it('records each stock change of an InventoryUpdated under its product, only if absent', async () => {
    // Prepare
    const event = eventOf.InventoryUpdated();
    const handler = await load();

    // Act
    const response = await handler(sqsEvent(sqsRecord(event)), fakeContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(documentClient).toHaveReceivedCommandTimes(PutCommand, 1);
    expectFactWritten({
      pk: 'PRODUCT#prod-espresso-beans',
      sk: `STOCK#${event.eventId}`,
      kind: 'STOCK_CHANGE',
      eventId: event.eventId,
      productId: 'prod-espresso-beans',
      stock: 38,
      delta: -2,
      cause: 'RESERVED',
      orderId: ORDER_ID,
      at: '2026-11-27T10:00:00.000Z',
    });
  });

  it('records a sale per line of an OrderConfirmed under its product, keyed by the order', async () => {
    const handler = await load();

    await handler(sqsEvent(sqsRecord(eventOf.OrderConfirmed())), fakeContext());

    expect(documentClient).toHaveReceivedCommandTimes(PutCommand, 1);
    expectFactWritten({
      pk: 'PRODUCT#prod-espresso-beans',
      sk: `SALE#${ORDER_ID}`,
      kind: 'SALE',
      orderId: ORDER_ID,
      productId: 'prod-espresso-beans',
      quantity: 2,
      revenue: { amount: 2900, currency: 'EUR' },
      at: '2026-11-27T10:00:00.000Z',
    });
  });

  it('records the outcome of an OrderCancelled under the order', async () => {
    const handler = await load();

    await handler(sqsEvent(sqsRecord(eventOf.OrderCancelled())), fakeContext());

    expectFactWritten({
      pk: `ORDER#${ORDER_ID}`,
      sk: 'OUTCOME',
      kind: 'CANCELLATION',
      orderId: ORDER_ID,
      reason: 'PAYMENT_FAILED',
      total: { amount: 2900, currency: 'EUR' },
      at: '2026-11-27T10:00:00.000Z',
    });
  });

  it('acknowledges a duplicate whose facts are already recorded', async () => {
    // Prepare
    documentClient.on(PutCommand).rejects(alreadyRecorded());
    const handler = await load();

    // Act
    const response = await handler(sqsEvent(sqsRecord(eventOf.OrderConfirmed())), fakeContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });

  it('reports only the record whose write fails, so it alone is retried', async () => {
    // Prepare
    documentClient.on(PutCommand).callsFake(async (input: { Item?: { kind?: string } }) => {
      if (input.Item?.kind === 'SALE') throw new Error('ProvisionedThroughputExceededException');
      return {};
    });
    const handler = await load();

    // Act
    const response = await handler(
      sqsEvent(
        sqsRecord(eventOf.InventoryUpdated(), { messageId: 'msg-1' }),
        sqsRecord(eventOf.OrderConfirmed(), { messageId: 'msg-2' }),
        sqsRecord(eventOf.OrderCancelled(), { messageId: 'msg-3' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-2' }] });
    expect(documentClient).toHaveReceivedCommandTimes(PutCommand, 3);
  });

  it('sends an invalid event straight to the DLQ without writing anything', async () => {
    const handler = await load();

    const response = await handler(sqsEvent(sqsRecord('not json {')), fakeContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: DLQ_URL,
      MessageBody: 'not json {',
    });
    expect(documentClient).not.toHaveReceivedCommand(PutCommand);
  });
});

const saleItem = {
  pk: 'PRODUCT#prod-espresso-beans',
  sk: 'SALE#order-1',
  kind: 'SALE',
  orderId: 'order-1',
  productId: 'prod-espresso-beans',
  quantity: 2,
  revenue: { amount: 2900, currency: 'EUR' },
  at: '2026-11-27T10:00:00.000Z',
};
const stockItem = {
  pk: 'PRODUCT#prod-espresso-beans',
  sk: 'STOCK#00000000-0000-4000-8000-000000000001',
  kind: 'STOCK_CHANGE',
  eventId: '00000000-0000-4000-8000-000000000001',
  productId: 'prod-espresso-beans',
  stock: 38,
  delta: -2,
  cause: 'RESERVED',
  orderId: 'order-1',
  at: '2026-11-27T10:00:00.000Z',
};
const cancellationItem = {
  pk: 'ORDER#order-2',
  sk: 'OUTCOME',
  kind: 'CANCELLATION',
  orderId: 'order-2',
  reason: 'INVENTORY_UNAVAILABLE',
  total: { amount: 1450, currency: 'EUR' },
  at: '2026-11-27T10:01:00.000Z',
};

const expectedSummary = {
  generatedAt: '2026-11-27T10:05:00.000Z',
  products: [
    {
      productId: 'prod-espresso-beans',
      unitsSold: 2,
      revenue: [{ amount: 2900, currency: 'EUR' }],
      unitsRestocked: 0,
      unitsCorrected: 0,
      currentStock: 38,
      stockHistory: [
        {
          at: '2026-11-27T10:00:00.000Z',
          stock: 38,
          delta: -2,
          cause: 'RESERVED',
          orderId: 'order-1',
        },
      ],
    },
  ],
  orders: {
    confirmed: 1,
    cancelled: 1,
    cancelledByReason: { INVENTORY_UNAVAILABLE: 1, PAYMENT_FAILED: 0 },
  },
  revenue: [{ amount: 2900, currency: 'EUR' }],
};

/** The checkpoint item a roll-up left at `version`, with the totals of `items`. */
const checkpointItem = (
  version: number,
  items: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) => ({
  pk: 'SUMMARY',
  sk: 'LATEST',
  kind: 'SUMMARY',
  version,
  generatedAt: '2026-11-27T10:04:00.000Z',
  aggregate: foldFacts(
    emptyAggregate(),
    items.map(({ pk: _pk, sk: _sk, ...fact }) => fact as unknown as AnalyticsFact),
    new Set(),
  ).aggregate,
  lastFolded: [],
  lastConfirmedOrderIds: [],
  ...extra,
});

describe('Function: rollUp', () => {
  const load = async () => (await import('../../src/functions/rollUp/handler')).handler;
  // Only the clock is fake: the SDK and middy keep their real timers and ticks.
  const freezeClockAt = (now: string) =>
    jest.useFakeTimers({
      now: new Date(now),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  const legacySummaryItem = {
    pk: 'SUMMARY',
    sk: 'LATEST',
    kind: 'SUMMARY',
    generatedAt: '2026-11-27T10:04:00.000Z',
    summary: expectedSummary,
  };

  it('builds the totals once from every settled fact on its first run after the migration', async () => {
    // Prepare
    freezeClockAt('2026-11-27T10:05:00.000Z');
    const lastKey = { pk: stockItem.pk, sk: stockItem.sk };
    documentClient
      .on(GetCommand)
      .resolvesOnce({ Item: legacySummaryItem })
      .resolves({ Item: checkpointItem(1, [saleItem, stockItem, cancellationItem]) });
    documentClient
      .on(ScanCommand)
      .resolvesOnce({ Items: [saleItem, stockItem], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [cancellationItem] });
    documentClient.on(QueryCommand).resolves({ Items: [] });
    documentClient.on(BatchWriteCommand).resolves({});
    const handler = await load();

    // Act
    const result = await handler({}, fakeContext());

    // Assess
    expect(result).toEqual({
      products: 1,
      confirmedOrders: 1,
      cancelledOrders: 1,
      folded: 0,
      built: true,
      stored: true,
    });
    expect(documentClient).toHaveReceivedCommandWith(GetCommand, {
      Key: { pk: 'SUMMARY', sk: 'LATEST' },
      ConsistentRead: true,
    });
    expect(documentClient).toHaveReceivedNthCommandWith(3, ScanCommand, {
      ExclusiveStartKey: lastKey,
      FilterExpression:
        '#kind IN (:sale, :stockChange, :cancellation) AND attribute_not_exists(#pending)',
    });
    // The first build's orders are remembered before it commits.
    expect(documentClient).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        'facts-test': [
          {
            PutRequest: {
              Item: { pk: 'ORDER#order-1', sk: 'CONFIRMED', kind: 'CONFIRMED_ORDER' },
            },
          },
        ],
      },
    });
    expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ version: 1, lastFolded: [] }),
      ConditionExpression: 'attribute_not_exists(version)',
    });
    expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
      Item: checkpointItem(2, [saleItem, stockItem, cancellationItem], {
        generatedAt: '2026-11-27T10:05:00.000Z',
      }),
      ConditionExpression: 'version = :previous',
      ExpressionAttributeValues: { ':previous': 1 },
    });
  });

  it('finishes the last step, then folds only pending facts the table confirms', async () => {
    // Prepare
    freezeClockAt('2026-11-27T10:05:00.000Z');
    const lastFolded = { pk: 'PRODUCT#prod-old', sk: 'SALE#order-0' };
    documentClient.on(GetCommand).resolves({
      Item: checkpointItem(3, [], { lastFolded: [lastFolded], lastConfirmedOrderIds: ['order-0'] }),
    });
    const staleKey = { pk: 'ORDER#order-9', sk: 'OUTCOME' };
    documentClient.on(QueryCommand).resolves({
      Items: [
        { pk: saleItem.pk, sk: saleItem.sk, pending: 'PENDING' },
        { ...staleKey, pending: 'PENDING' },
      ],
    });
    documentClient
      .on(BatchGetCommand)
      .resolvesOnce({
        // The index still lists a fact the table no longer marks pending: left out.
        Responses: { 'facts-test': [{ ...saleItem, pending: 'PENDING' }, { ...staleKey }] },
      })
      .resolves({ Responses: { 'facts-test': [] } });
    documentClient.on(BatchWriteCommand).resolves({});
    const handler = await load();

    // Act
    const result = await handler({}, fakeContext());

    // Assess
    expect(result).toMatchObject({ confirmedOrders: 1, folded: 1, built: false, stored: true });
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      Key: lastFolded,
      UpdateExpression: 'REMOVE #pending',
      ConditionExpression: 'attribute_exists(pk)',
    });
    expect(documentClient).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        'facts-test': [
          {
            PutRequest: {
              Item: { pk: 'ORDER#order-0', sk: 'CONFIRMED', kind: 'CONFIRMED_ORDER' },
            },
          },
        ],
      },
    });
    expect(documentClient).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'pendingFacts',
      KeyConditionExpression: '#pending = :pending',
      ExpressionAttributeValues: { ':pending': 'PENDING' },
      Limit: 100,
    });
    expect(documentClient).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        'facts-test': {
          Keys: [{ pk: saleItem.pk, sk: saleItem.sk }, staleKey],
          ConsistentRead: true,
        },
      },
    });
    expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
      Item: checkpointItem(4, [saleItem], {
        generatedAt: '2026-11-27T10:05:00.000Z',
        lastFolded: [{ pk: saleItem.pk, sk: saleItem.sk }],
        lastConfirmedOrderIds: ['order-1'],
      }),
      ConditionExpression: 'version = :previous',
      ExpressionAttributeValues: { ':previous': 3 },
    });
    expect(documentClient).not.toHaveReceivedCommand(ScanCommand);
  });

  it('succeeds without storing when overlapping roll-ups commit first every time', async () => {
    // Prepare
    documentClient.on(GetCommand).resolves({ Item: checkpointItem(3, [saleItem]) });
    documentClient.on(QueryCommand).resolves({ Items: [] });
    documentClient.on(PutCommand).rejects(alreadyRecorded());
    const handler = await load();

    // Act
    const result = await handler({}, fakeContext());

    // Assess
    expect(result).toEqual({ stored: false, folded: 0 });
    expect(documentClient).toHaveReceivedCommandTimes(PutCommand, 4);
  });

  it('fails the invocation, so the error metric sees it, when the checkpoint cannot be read', async () => {
    documentClient.on(GetCommand).rejects(new Error('table unavailable'));
    const handler = await load();

    await expect(handler({}, fakeContext())).rejects.toThrow('table unavailable');
    expect(documentClient).not.toHaveReceivedCommand(PutCommand);
  });
});

describe('Function: getSummary', () => {
  const load = async () => (await import('../../src/functions/getSummary/handler')).handler;
  /** GET /analytics/summary with `claims` (an administrator's by default); `null`: no token. */
  const get = (claims: Record<string, unknown> | null = adminClaims()) =>
    apiGatewayEvent({ path: '/analytics/summary', ...(claims ? { claims } : {}) });

  it('returns the latest summary to an administrator, as the API schema describes it', async () => {
    // Prepare
    documentClient.on(GetCommand).resolves({
      Item: {
        pk: 'SUMMARY',
        sk: 'LATEST',
        kind: 'SUMMARY',
        generatedAt: expectedSummary.generatedAt,
        summary: expectedSummary,
      },
    });
    const handler = await load();

    // Act
    const response = await handler(get(), fakeContext());

    // Assess
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(String(response.body));
    expect(body).toEqual(expectedSummary);
    expect(AnalyticsSummarySchema.safeParse(body).error).toBeUndefined();
    expect(documentClient).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'facts-test',
      Key: { pk: 'SUMMARY', sk: 'LATEST' },
    });
  });

  it('serves the summary of the totals an incremental roll-up stored', async () => {
    // Prepare
    documentClient.on(GetCommand).resolves({
      Item: checkpointItem(7, [saleItem, stockItem, cancellationItem], {
        generatedAt: expectedSummary.generatedAt,
      }),
    });
    const handler = await load();

    // Act
    const response = await handler(get(), fakeContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual(expectedSummary);
  });

  it('answers 404 with a problem document before the first roll-up', async () => {
    documentClient.on(GetCommand).resolves({});
    const handler = await load();

    const response = await handler(get(), fakeContext());

    expect(response.statusCode).toBe(404);
    expect(response.headers?.['Content-Type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(String(response.body))).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('answers 403 to a signed-in customer, without reading', async () => {
    const handler = await load();

    const response = await handler(get(customerClaims()), fakeContext());

    expect(response.statusCode).toBe(403);
    expect(JSON.parse(String(response.body))).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(documentClient).not.toHaveReceivedCommand(GetCommand);
  });

  it('answers 401 with WWW-Authenticate: Bearer without a token, without reading', async () => {
    const handler = await load();

    const response = await handler(get(null), fakeContext());

    expect(response.statusCode).toBe(401);
    expect(response.headers?.['WWW-Authenticate']).toBe('Bearer');
    expect(documentClient).not.toHaveReceivedCommand(GetCommand);
  });
});

describe('Function: summaryMethodNotAllowed', () => {
  const load = async () => (await import('../../src/functions/methodNotAllowed/handler')).handler;

  it('answers 405 naming GET as the allowed method', async () => {
    const handler = await load();

    const response = await handler(
      apiGatewayEvent({
        method: 'DELETE',
        path: '/analytics/summary',
        routeKey: 'ANY /analytics/summary',
      }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe('GET, OPTIONS');
  });
});
