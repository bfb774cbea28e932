import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@shop/aws-adapters';
import type { Order } from '@shop/order-domain';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbOrderRepository } from '../../src/adapters/DynamoDbOrderRepository';

// How the repository keeps the sweeper's bookkeeping on the item: attempts, the parked state and
// the `outbox` partition the sweeper reads.

const documentClient = mockClient(DynamoDBDocumentClient);
const TABLE = 'orders-test';
const orderId = 'order-1';

const repository = () =>
  new DynamoDbOrderRepository(createDocumentClient(), TABLE, {
    cursorKey: 'test-page-cursor-key-0123456789abcdef',
  });

const parked = { at: '2026-11-27T10:05:00.000Z', reason: 'Error: SNS unavailable', attempts: 5 };

const order = (overrides: Partial<Order> = {}): Order => ({
  orderId,
  customerId: 'cust-42',
  customerEmail: 'ada@example.com',
  lines: [{ productId: 'prod-1', quantity: 1, unitPrice: { amount: 250, currency: 'EUR' } }],
  total: { amount: 250, currency: 'EUR' },
  paymentToken: 'tok_sandbox_success',
  status: 'PENDING',
  outcomes: {},
  correlationId: 'corr-1',
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  published: false,
  decisionPublished: false,
  version: 1,
  timeline: [],
  ...overrides,
});

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'condition failed', $metadata: {} });

afterEach(() => documentClient.reset());

describe('Class: DynamoDbOrderRepository (parking)', () => {
  describe('Method: recordPublishFailure', () => {
    it('increments the attempts atomically on a pending order and returns the new count', async () => {
      documentClient.on(UpdateCommand).resolves({ Attributes: { publishAttempts: 3, version: 7 } });

      const attempts = await repository().recordPublishFailure(orderId);

      expect(attempts).toBe(3);
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        TableName: TABLE,
        Key: { orderId },
        UpdateExpression:
          'SET publishAttempts = if_not_exists(publishAttempts, :zero) + :one, version = version + :one',
        ConditionExpression: 'outbox = :pending',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':pending': 'PENDING' },
        ReturnValues: 'UPDATED_NEW',
      });
    });

    it('counts nothing for an order no longer in the outbox', async () => {
      documentClient.on(UpdateCommand).rejects(conditionFailed());

      expect(await repository().recordPublishFailure(orderId)).toBeUndefined();
    });
  });

  describe('Method: park', () => {
    it("moves a pending order to the outbox's PARKED partition, with why", async () => {
      documentClient.on(UpdateCommand).resolves({});

      const done = await repository().park(orderId, parked);

      expect(done).toBe(true);
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        Key: { orderId },
        UpdateExpression: 'SET parked = :parked, outbox = :parkedOutbox, version = version + :one',
        ConditionExpression: 'outbox = :pending',
        ExpressionAttributeValues: {
          ':parked': parked,
          ':parkedOutbox': 'PARKED',
          ':pending': 'PENDING',
          ':one': 1,
        },
      });
    });

    it('parks nothing once the order left the outbox', async () => {
      documentClient.on(UpdateCommand).rejects(conditionFailed());

      expect(await repository().park(orderId, parked)).toBe(false);
    });
  });

  describe('Method: listParked', () => {
    it('queries the PARKED partition oldest first, page after page, up to the limit', async () => {
      // Prepare
      const stored = (id: string) => ({ ...order({ orderId: id, parked }), outbox: 'PARKED' });
      documentClient
        .on(QueryCommand)
        .resolvesOnce({ Items: [stored('a'), stored('b')], LastEvaluatedKey: { orderId: 'b' } })
        .resolvesOnce({ Items: [stored('c')], LastEvaluatedKey: { orderId: 'c' } });

      // Act
      const orders = await repository().listParked(3);

      // Assess
      expect(orders.map((o) => o.orderId)).toEqual(['a', 'b', 'c']);
      expect(orders[0]).not.toHaveProperty('outbox');
      expect(orders[0]?.parked).toEqual(parked);
      const queries = documentClient.commandCalls(QueryCommand).map((call) => call.args[0].input);
      expect(queries).toEqual([
        expect.objectContaining({
          IndexName: 'byOutbox',
          KeyConditionExpression: 'outbox = :parked',
          ExpressionAttributeValues: { ':parked': 'PARKED' },
          Limit: 3,
        }),
        expect.objectContaining({ ExclusiveStartKey: { orderId: 'b' }, Limit: 1 }),
      ]);
    });
  });

  describe('Method: unpark', () => {
    it('puts a parked order back in the PENDING outbox with its attempts reset', async () => {
      documentClient.on(UpdateCommand).resolves({});

      const done = await repository().unpark(orderId);

      expect(done).toBe(true);
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        Key: { orderId },
        UpdateExpression:
          'SET outbox = :pending, version = version + :one REMOVE parked, publishAttempts',
        ConditionExpression: 'outbox = :parkedOutbox',
      });
    });

    it('leaves an order that is not parked alone', async () => {
      documentClient.on(UpdateCommand).rejects(conditionFailed());

      expect(await repository().unpark(orderId)).toBe(false);
    });
  });

  describe('Method: save', () => {
    it("keeps a parked order out of the sweeper's partition when a consumer saves it", async () => {
      documentClient.on(PutCommand).resolves({});

      await repository().save(order({ status: 'CANCELLED', parked, version: 8 }), 7);

      expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
        Item: expect.objectContaining({ outbox: 'PARKED', parked }),
        ConditionExpression: 'version = :expected',
      });
    });

    it('puts an order with nothing left to publish in no outbox partition at all', async () => {
      documentClient.on(PutCommand).resolves({});

      await repository().save(order({ published: true, version: 2 }), 1);

      const item = documentClient.commandCalls(PutCommand)[0]?.args[0].input.Item;
      expect(item).not.toHaveProperty('outbox');
    });
  });

  describe('Method: get', () => {
    it('returns the parked state and attempts, without the outbox marker', async () => {
      documentClient
        .on(GetCommand)
        .resolves({ Item: { ...order({ parked, publishAttempts: 5 }), outbox: 'PARKED' } });

      const stored = await repository().get(orderId);

      expect(stored).toMatchObject({ parked, publishAttempts: 5 });
      expect(stored).not.toHaveProperty('outbox');
    });
  });
});
