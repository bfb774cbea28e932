import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@shop/aws-adapters';
import type { ReservationDecision } from '@shop/inventory-domain';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbReservationDecisions } from '../../src/adapters/DynamoDbReservationDecisions';

// One decision per order, written once: a redelivered event finds the stored decision and
// answers with it instead of deciding again.

const documentClient = mockClient(DynamoDBDocumentClient);
const TABLE = 'reservations-test';

const decisions = () => new DynamoDbReservationDecisions(createDocumentClient(), TABLE);

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const lines = [{ productId: 'prod-1', quantity: 2 }];
const changes = [{ productId: 'prod-1', delta: -2, stock: 3 }];
const reserved: ReservationDecision = { orderId: 'order-1', status: 'RESERVED', lines, changes };
const released: Extract<ReservationDecision, { status: 'RELEASED' }> = {
  orderId: 'order-1',
  status: 'RELEASED',
  lines,
  changes: [{ productId: 'prod-1', delta: 2, stock: 5 }],
};

afterEach(() => {
  documentClient.reset();
});

describe('Class: DynamoDbReservationDecisions', () => {
  describe('Method: get', () => {
    it('reads the decision of an order consistently', async () => {
      documentClient.on(GetCommand).resolves({ Item: reserved });

      expect(await decisions().get('order-1')).toEqual(reserved);
      expect(documentClient).toHaveReceivedCommandWith(GetCommand, {
        TableName: TABLE,
        Key: { orderId: 'order-1' },
        ConsistentRead: true,
      });
    });
  });

  describe('Method: decide', () => {
    it('stores a first decision and answers it', async () => {
      documentClient.on(PutCommand).resolves({});

      expect(await decisions().decide(reserved)).toEqual(reserved);
      expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
        Item: reserved,
        ConditionExpression: 'attribute_not_exists(orderId)',
      });
    });

    it('answers the stored decision when the order was decided already', async () => {
      // Prepare: a cancellation got there first.
      const cancelledFirst: ReservationDecision = { orderId: 'order-1', status: 'CANCELLED_FIRST' };
      documentClient.on(PutCommand).rejects(conditionFailed());
      documentClient.on(GetCommand).resolves({ Item: cancelledFirst });

      // Act
      const stored = await decisions().decide(reserved);

      // Assess
      expect(stored).toEqual(cancelledFirst);
    });

    it('lets any other failure through', async () => {
      documentClient.on(PutCommand).rejects(new Error('throttled'));

      await expect(decisions().decide(reserved)).rejects.toThrow('throttled');
    });
  });

  describe('Method: transition', () => {
    it('moves a RESERVED decision on, conditional on it still being RESERVED', async () => {
      documentClient.on(UpdateCommand).resolves({});

      expect(await decisions().transition('order-1', released)).toEqual(released);
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        Key: { orderId: 'order-1' },
        ConditionExpression: '#status = :reserved',
        ExpressionAttributeValues: {
          ':to': 'RELEASED',
          ':changes': released.changes,
          ':reserved': 'RESERVED',
        },
      });
    });

    it('answers the stored decision when it had moved on already', async () => {
      // Prepare
      const committed = { ...reserved, status: 'COMMITTED' as const };
      documentClient.on(UpdateCommand).rejects(conditionFailed());
      documentClient.on(GetCommand).resolves({ Item: committed });

      // Act / Assess
      expect(await decisions().transition('order-1', released)).toEqual(committed);
    });

    it('lets any other failure through', async () => {
      documentClient.on(UpdateCommand).rejects(new Error('throttled'));

      await expect(decisions().transition('order-1', released)).rejects.toThrow('throttled');
    });
  });
});
