import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AnalyticsSummarySchema } from '@shop/analytics-domain';
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

/** Asserts that `Item` was written to the facts table only if absent, as every fact is. */
const expectFactWritten = (Item: Record<string, unknown>) =>
  expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
    TableName: 'facts-test',
    ConditionExpression: 'attribute_not_exists(pk)',
    Item,
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

  it('reads every page of facts and stores the summary computed from them', async () => {
    // Prepare
    freezeClockAt('2026-11-27T10:05:00.000Z');
    const lastKey = { pk: stockItem.pk, sk: stockItem.sk };
    documentClient
      .on(ScanCommand)
      .resolvesOnce({ Items: [saleItem, stockItem], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [cancellationItem] });
    const handler = await load();

    // Act
    const result = await handler({}, fakeContext());

    // Assess
    expect(result).toEqual({ products: 1, confirmedOrders: 1, cancelledOrders: 1, stored: true });
    expect(documentClient).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(documentClient).toHaveReceivedNthCommandWith(2, ScanCommand, {
      TableName: 'facts-test',
      ExclusiveStartKey: lastKey,
    });
    expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'facts-test',
      Item: {
        pk: 'SUMMARY',
        sk: 'LATEST',
        kind: 'SUMMARY',
        generatedAt: '2026-11-27T10:05:00.000Z',
        summary: expectedSummary,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR generatedAt <= :generatedAt',
      ExpressionAttributeValues: { ':generatedAt': '2026-11-27T10:05:00.000Z' },
    });
  });

  it('scans for facts only, leaving the summary item out', async () => {
    documentClient.on(ScanCommand).resolves({ Items: [] });
    const handler = await load();

    await handler({}, fakeContext());

    expect(documentClient).toHaveReceivedCommandWith(ScanCommand, {
      FilterExpression: '#kind IN (:sale, :stockChange, :cancellation)',
      ExpressionAttributeValues: {
        ':sale': 'SALE',
        ':stockChange': 'STOCK_CHANGE',
        ':cancellation': 'CANCELLATION',
      },
    });
  });

  it('succeeds without storing when a newer summary is already there', async () => {
    // Prepare
    documentClient.on(ScanCommand).resolves({ Items: [saleItem] });
    documentClient.on(PutCommand).rejects(alreadyRecorded());
    const handler = await load();

    // Act
    const result = await handler({}, fakeContext());

    // Assess
    expect(result).toEqual({ products: 1, confirmedOrders: 1, cancelledOrders: 0, stored: false });
  });

  it('fails the invocation, so the error metric sees it, when the facts cannot be read', async () => {
    documentClient.on(ScanCommand).rejects(new Error('table unavailable'));
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
