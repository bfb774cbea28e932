import 'aws-sdk-client-mock-jest';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AnalyticsFact } from '@shop/analytics-domain';
import { createDocumentClient } from '@shop/aws-adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbAnalyticsStore } from '../../src/adapters/DynamoDbAnalyticsStore';

const documentClient = mockClient(DynamoDBDocumentClient);

afterEach(() => documentClient.reset());

const facts: AnalyticsFact[] = [
  {
    kind: 'STOCK_CHANGE',
    eventId: '00000000-0000-4000-8000-000000000001',
    productId: 'prod-a',
    stock: 10,
    delta: 10,
    cause: 'RESTOCKED',
    at: '2026-11-27T09:00:00.000Z',
  },
  {
    kind: 'SALE',
    orderId: 'order-1',
    productId: 'prod-a',
    quantity: 1,
    revenue: { amount: 1450, currency: 'EUR' },
    at: '2026-11-27T10:00:00.000Z',
  },
  {
    kind: 'CANCELLATION',
    orderId: 'order-2',
    reason: 'PAYMENT_FAILED',
    total: { amount: 1450, currency: 'EUR' },
    at: '2026-11-27T10:01:00.000Z',
  },
];

describe('Class: DynamoDbAnalyticsStore', () => {
  it.each(facts)('reads back a pending $kind fact exactly as it wrote it', async (fact) => {
    // Prepare
    const store = new DynamoDbAnalyticsStore(createDocumentClient(), 'facts-test');
    await store.putIfAbsent(fact);
    const written = documentClient.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
    documentClient.on(QueryCommand).resolves({ Items: [{ pk: written.pk, sk: written.sk }] });
    documentClient.on(BatchGetCommand).resolves({ Responses: { 'facts-test': [written] } });

    // Act
    const read = await store.pendingFacts(10);

    // Assess
    expect(written.pending).toBe('PENDING');
    expect(read).toEqual([fact]);
  });

  it.each(facts)(
    'reads back a settled $kind fact exactly as the old code wrote it',
    async (fact) => {
      // Prepare
      const store = new DynamoDbAnalyticsStore(createDocumentClient(), 'facts-test');
      await store.putIfAbsent(fact);
      const { pending: _pending, ...written } =
        documentClient.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
      documentClient.on(ScanCommand).resolves({ Items: [written] });

      // Act
      const pages = [];
      for await (const page of store.settledFacts()) pages.push(page);

      // Assess
      expect(pages).toEqual([[fact]]);
    },
  );

  it('gives each fact a key of its own, so none overwrites another', async () => {
    // Prepare
    const store = new DynamoDbAnalyticsStore(createDocumentClient(), 'facts-test');
    const sameProductOtherOrder = { ...facts[1], orderId: 'order-9' } as AnalyticsFact;

    // Act
    for (const fact of [...facts, sameProductOtherOrder]) await store.putIfAbsent(fact);

    // Assess
    const keys = documentClient
      .commandCalls(PutCommand)
      .map((call) => `${call.args[0].input.Item?.pk} ${call.args[0].input.Item?.sk}`);
    expect(keys).toEqual([
      'PRODUCT#prod-a STOCK#00000000-0000-4000-8000-000000000001',
      'PRODUCT#prod-a SALE#order-1',
      'ORDER#order-2 OUTCOME',
      'PRODUCT#prod-a SALE#order-9',
    ]);
  });

  it('lets an error other than an already recorded fact through', async () => {
    documentClient.on(PutCommand).rejects(new Error('AccessDeniedException'));
    const store = new DynamoDbAnalyticsStore(createDocumentClient(), 'facts-test');

    await expect(store.putIfAbsent(facts[0] as AnalyticsFact)).rejects.toThrow(
      'AccessDeniedException',
    );
  });
});
