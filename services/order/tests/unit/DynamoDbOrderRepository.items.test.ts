import 'aws-sdk-client-mock-jest';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@shop/aws-adapters';
import type { Order } from '@shop/order-domain';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbOrderRepository } from '../../src/adapters/DynamoDbOrderRepository';

// How an order becomes a table item and back, including items written by older versions.

const documentClient = mockClient(DynamoDBDocumentClient);
const TABLE = 'orders-test';

const repository = () =>
  new DynamoDbOrderRepository(createDocumentClient(), TABLE, {
    cursorKey: 'test-page-cursor-key-0123456789abcdef',
  });

const storedItem = (timeline: Order['timeline']) => ({
  orderId: 'order-1',
  customerId: 'cust-42',
  customerEmail: 'ada@example.com',
  lines: [{ productId: 'prod-1', quantity: 1, unitPrice: { amount: 250, currency: 'EUR' } }],
  total: { amount: 250, currency: 'EUR' },
  paymentToken: 'tok_sandbox_success',
  status: 'CONFIRMED',
  outcomes: {},
  correlationId: 'corr-1',
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:02.000Z',
  published: true,
  decisionPublished: false,
  version: 3,
  outbox: 'PENDING',
  timeline,
});

// Before issue 14 the first timeline entry was stored as `OrderPlaced`; the bus event is OrderCreated.
const LEGACY_TIMELINE = [
  { at: '2026-11-27T10:00:00.000Z', event: 'OrderPlaced' },
  { at: '2026-11-27T10:00:02.000Z', event: 'OrderConfirmed' },
];
const CURRENT_TIMELINE = [
  { at: '2026-11-27T10:00:00.000Z', event: 'OrderCreated' },
  { at: '2026-11-27T10:00:02.000Z', event: 'OrderConfirmed' },
];

afterEach(() => documentClient.reset());

describe('Class: DynamoDbOrderRepository (items)', () => {
  it('reads an order stored with the old OrderPlaced entry as OrderCreated', async () => {
    // Prepare
    documentClient.on(GetCommand).resolves({ Item: storedItem(LEGACY_TIMELINE) });

    // Act
    const order = await repository().get('order-1');

    // Assess
    expect(order?.timeline).toEqual(CURRENT_TIMELINE);
  });

  it('maps the old word in listings too, and leaves the outbox marker in the table', async () => {
    // Prepare
    documentClient.on(QueryCommand).resolves({ Items: [storedItem(LEGACY_TIMELINE)] });

    // Act
    const [order] = await repository().listUnpublished('2026-11-28T00:00:00.000Z', 10);

    // Assess
    expect(order?.timeline).toEqual(CURRENT_TIMELINE);
    expect(order).not.toHaveProperty('outbox');
  });

  it('writes back the current word when it saves an order read with the old one', async () => {
    // Prepare
    documentClient.on(GetCommand).resolves({ Item: storedItem(LEGACY_TIMELINE) });
    documentClient.on(PutCommand).resolves({});
    const orders = repository();
    const order = (await orders.get('order-1')) as Order;

    // Act
    await orders.save({ ...order, version: 4 }, 3);

    // Assess
    expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ timeline: CURRENT_TIMELINE, outbox: 'PENDING' }),
    });
  });
});
