import 'aws-sdk-client-mock-jest';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parseEvent } from '@shop/contracts';
import {
  captureJsonLines,
  dimensionsOf,
  type EmfDocument,
  emitMetricsAs,
  fakeContext,
  type JsonLine,
} from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';

// The sweeper with its real adapters, the SDK mocked underneath: what it publishes, counts, parks,
// logs and measures.

// Before the handler is imported: its metrics read these when they are created.
const restoreEnv = emitMetricsAs('order');
// The log lines are part of what is tested: the logger reads its level when it is created.
const savedLogLevel = process.env.POWERTOOLS_LOG_LEVEL;
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
process.env.ORDERS_TABLE = 'orders-test';
process.env.EVENT_BUS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:shop-events-test';

const documentClient = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);

const orderId = '5f0c6a8e-3b2d-4c55-9f59-2a8f4f1f2b11';

/** An order of cust-42 whose OrderCreated is not known to be on the bus, as the table holds it. */
const unpublishedOrder = {
  orderId,
  customerId: 'cust-42',
  customerEmail: 'ada@example.com',
  lines: [{ productId: 'prod-1', quantity: 3, unitPrice: { amount: 250, currency: 'EUR' } }],
  total: { amount: 750, currency: 'EUR' },
  paymentToken: 'tok_sandbox_success',
  status: 'PENDING',
  outcomes: {},
  correlationId: 'corr-1',
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  published: false,
  decisionPublished: false,
  version: 1,
  outbox: 'PENDING',
  timeline: [{ at: '2026-11-27T10:00:00.000Z', event: 'OrderCreated' }],
};

/** The order the reviewer reproduced: cancelled with a reason stored before reasons were bounded. */
const cancelledWithOversizedReason = {
  ...unpublishedOrder,
  published: true,
  status: 'CANCELLED',
  cancellationCode: 'INVENTORY_UNAVAILABLE',
  cancellationReason: Array.from(
    { length: 50 },
    (_, i) => `prod-${String(i).padStart(2, '0')}-${'x'.repeat(56)} is not in the catalog`,
  ).join('; '),
  version: 3,
};

const countingUpdate = {
  ConditionExpression: 'outbox = :pending',
  ReturnValues: 'UPDATED_NEW' as const,
};

async function sweep() {
  const { handler } = await import('../../src/functions/publishPendingOrders/handler');
  return handler({}, fakeContext());
}

/** Every JSON line the sweeper writes (log lines and EMF documents), filled as it writes them. */
function captureOutput() {
  const lines = captureJsonLines();
  return {
    logs: () => lines.filter((line) => 'message' in line),
    declaring: (name: string) =>
      lines.filter((line): line is EmfDocument & JsonLine => '_aws' in line && name in line),
  };
}

describe('Function: publishPendingOrders (failures and parking)', () => {
  afterEach(() => {
    documentClient.reset();
    sns.reset();
    jest.restoreAllMocks();
  });

  afterAll(() => {
    restoreEnv();
    if (savedLogLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = savedLogLevel;
  });

  it('publishes an order cancelled with a reason over the contract limit, cut to fit', async () => {
    // Prepare
    documentClient.on(QueryCommand).resolves({ Items: [cancelledWithOversizedReason] });
    captureOutput();

    // Act
    const result = await sweep();

    // Assess
    expect(result).toEqual({ published: 1, parked: 0 });
    const message = String(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message);
    const event = parseEvent(message, { accept: ['OrderCancelled'] });
    expect(event.data.detail.length).toBeLessThanOrEqual(1000);
    expect(event.data.detail).toMatch(/^prod-00-x+ is not in the catalog; /);
  });

  it('counts a failed publish on the order and fails the invocation for the Errors alarm', async () => {
    // Prepare
    documentClient.on(QueryCommand).resolves({ Items: [unpublishedOrder] });
    documentClient.on(UpdateCommand).resolves({ Attributes: { publishAttempts: 2 } });
    sns.on(PublishCommand).rejects(new Error('SNS unavailable'));
    const output = captureOutput();

    // Act
    const outcome = sweep();

    // Assess
    await expect(outcome).rejects.toThrow('1 order(s) still unpublished');
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { orderId },
      ...countingUpdate,
    });
    expect(documentClient).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(output.declaring('OrdersParked')).toEqual([
      expect.objectContaining({ OrdersParked: 0 }),
    ]);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: 'republish failed', orderId, attempts: 2 }),
    );
  });

  it('parks the order at its fifth failed sweep: OrdersParked, a log line with why, no error', async () => {
    // Prepare
    documentClient.on(QueryCommand).resolves({ Items: [unpublishedOrder] });
    documentClient.on(UpdateCommand).resolves({});
    documentClient
      .on(UpdateCommand, countingUpdate)
      .resolves({ Attributes: { publishAttempts: 5 } });
    sns.on(PublishCommand).rejects(new Error('SNS unavailable'));
    const output = captureOutput();

    // Act
    const result = await sweep();

    // Assess
    expect(result).toEqual({ published: 0, parked: 1 });
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { orderId },
      ConditionExpression: 'outbox = :pending',
      ExpressionAttributeValues: expect.objectContaining({
        ':parkedOutbox': 'PARKED',
        ':parked': {
          at: expect.any(String),
          reason: 'Error: SNS unavailable',
          attempts: 5,
        },
      }),
    });
    const [invocation] = output.declaring('OrdersParked');
    expect(invocation).toMatchObject({ service: 'order', OrdersParked: 1, OrdersRepublished: 0 });
    expect(dimensionsOf(invocation)).toEqual([['service']]);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'order parked: the sweeper stopped publishing it',
        orderId,
        reason: 'Error: SNS unavailable',
        attempts: 5,
      }),
    );
  });
});
