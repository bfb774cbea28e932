import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { buildEvent } from '@shop/contracts';
import {
  captureEmf,
  dimensionsOf,
  type EmfDocument,
  emitMetricsAs,
  fakeContext,
  metricUnit,
  sqsEvent,
  sqsRecord,
} from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';

// The EMF documents recordOutcomes writes, as CloudWatch reads them from its log group.

// Before the handler is imported: its metrics read these when they are created.
const restoreEnv = emitMetricsAs('order');
process.env.ORDERS_TABLE = 'orders-test';
process.env.EVENT_BUS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:shop-events-test';
process.env.EVENTS_QUEUE_URL =
  'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-order-test-events';
process.env.EVENTS_DLQ_URL =
  'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-order-test-events-dlq';

const documentClient = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);

const orderId = '5f0c6a8e-3b2d-4c55-9f59-2a8f4f1f2b11';
const correlationId = 'corr-metrics';

/** Stock is reserved: the payment's report decides the order. */
const reservedOrder = {
  orderId,
  customerId: 'cust-42',
  customerEmail: 'ada@example.com',
  lines: [{ productId: 'prod-1', quantity: 3, unitPrice: { amount: 250, currency: 'EUR' } }],
  total: { amount: 750, currency: 'EUR' },
  paymentToken: 'tok_sandbox_success',
  status: 'PENDING',
  outcomes: { inventory: { ok: true } },
  correlationId,
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:01.000Z',
  published: true,
  decisionPublished: false,
  version: 2,
  timeline: [
    { at: '2026-11-27T10:00:00.000Z', event: 'OrderCreated' },
    { at: '2026-11-27T10:00:01.000Z', event: 'InventoryReserved' },
  ],
};

const paid = () =>
  buildEvent(
    'PaymentProcessed',
    { orderId, paymentId: 'pay_1', amount: reservedOrder.total, customerEmail: 'ada@example.com' },
    { correlationId },
  );
const declined = () =>
  buildEvent(
    'PaymentFailed',
    { orderId, reason: 'DECLINED', detail: 'The card was declined.' },
    { correlationId },
  );

/** Runs one record through the handler; resolves with what it wrote as EMF. */
async function handle(event: object) {
  const { handler } = await import('../../src/functions/recordOutcomes/handler');
  const emf = captureEmf();
  const response = await handler(sqsEvent(sqsRecord(event)), fakeContext());
  expect(response.batchItemFailures).toEqual([]);
  return emf;
}

const namespaceOf = (document: EmfDocument | undefined) =>
  document?._aws.CloudWatchMetrics[0]?.Namespace;

describe('Function: recordOutcomes (metrics)', () => {
  beforeEach(() => {
    documentClient.on(GetCommand).resolves({ Item: reservedOrder });
    documentClient.on(PutCommand).resolves({});
    documentClient.on(UpdateCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  });

  afterEach(() => {
    documentClient.reset();
    sns.reset();
    jest.restoreAllMocks();
  });

  afterAll(restoreEnv);

  it('counts a confirmed order with the invocation metrics, by service only', async () => {
    // Act
    const emf = await handle(paid());

    // Assess
    const [invocation, ...others] = emf.declaring('OrdersConfirmed');
    expect(others).toEqual([]);
    expect(invocation).toMatchObject({
      service: 'order',
      OrdersConfirmed: 1,
      ItemsProcessed: 1,
      ProcessingTime: expect.any(Number),
    });
    expect(namespaceOf(invocation)).toBe('serverless-shop-test');
    expect(dimensionsOf(invocation)).toEqual([['service']]);
    expect(metricUnit(invocation, 'OrdersConfirmed')).toBe('Count');
    expect(metricUnit(invocation, 'ItemsProcessed')).toBe('Count');
    expect(metricUnit(invocation, 'ProcessingTime')).toBe('Milliseconds');
    expect(emf.declaring('OrdersCancelled')).toEqual([]);
  });

  it('counts a cancelled order by reason in a document of its own', async () => {
    // Act
    const emf = await handle(declined());

    // Assess
    const [cancelled, ...others] = emf.declaring('OrdersCancelled');
    expect(others).toEqual([]);
    expect(cancelled).toMatchObject({
      service: 'order',
      reason: 'PAYMENT_FAILED',
      OrdersCancelled: 1,
    });
    expect(dimensionsOf(cancelled)).toEqual([['service', 'reason']]);
    expect(metricUnit(cancelled, 'OrdersCancelled')).toBe('Count');
    // The reason stays off the invocation's own metrics.
    const [invocation] = emf.declaring('ItemsProcessed');
    expect(invocation).not.toHaveProperty('reason');
    expect(dimensionsOf(invocation)).toEqual([['service']]);
    expect(emf.declaring('OrdersConfirmed')).toEqual([]);
  });

  it('counts no decision for a report that arrives again after the order was decided', async () => {
    // Prepare
    const confirmedOrder = {
      ...reservedOrder,
      status: 'CONFIRMED',
      outcomes: { inventory: { ok: true }, payment: { ok: true, paymentId: 'pay_1' } },
      decisionPublished: true,
    };
    documentClient.on(GetCommand).resolves({ Item: confirmedOrder });

    // Act
    const emf = await handle(paid());

    // Assess
    expect(emf.declaring('OrdersConfirmed')).toEqual([]);
    expect(emf.declaring('ItemsProcessed')).toHaveLength(1);
  });
});
