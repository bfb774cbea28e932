import 'aws-sdk-client-mock-jest';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { buildEvent, eventCatalogue } from '@shop/contracts';
import {
  captureEmf,
  dimensionsOf,
  emitMetricsAs,
  fakeContext,
  metricUnit,
  sqsEvent,
  sqsRecord,
} from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';

// The handler with its real adapters and the sandbox gateway, the SDK mocked underneath: what it
// stores, publishes and counts for a charge.

// Before the handler is imported: its metrics read these when they are created.
const restoreEnv = emitMetricsAs('payment');
process.env.SHOP_STAGE = 'test';
process.env.PAYMENT_GATEWAY = 'sandbox';
process.env.SANDBOX_AMOUNT_LIMIT_CENTS = '100000';
process.env.SANDBOX_AMOUNT_LIMIT_CURRENCY = 'EUR';
process.env.PAYMENTS_TABLE = 'payments-test';
process.env.EVENT_BUS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:shop-events-test';
process.env.EVENTS_QUEUE_URL =
  'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-payment-test-events';
process.env.EVENTS_DLQ_URL =
  'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-payment-test-events-dlq';

const documentClient = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);

const orderCreated = (paymentToken: string) =>
  buildEvent(
    'OrderCreated',
    { ...eventCatalogue.OrderCreated.example, paymentToken },
    { correlationId: 'corr-payment' },
  );

/** Runs one record through the handler; resolves with what it wrote as EMF. */
async function handle(event: object) {
  const { handler } = await import('../../src/functions/handleOrderEvents/handler');
  const emf = captureEmf();
  const response = await handler(sqsEvent(sqsRecord(event)), fakeContext());
  expect(response.batchItemFailures).toEqual([]);
  return emf;
}

const publishedEventTypes = () =>
  sns
    .commandCalls(PublishCommand)
    .map((call) => call.args[0].input.MessageAttributes?.eventType?.StringValue);

describe('Function: handleOrderEvents', () => {
  beforeEach(() => {
    documentClient.on(GetCommand).resolves({});
    documentClient.on(PutCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  });

  afterEach(() => {
    documentClient.reset();
    sns.reset();
    jest.restoreAllMocks();
  });

  afterAll(restoreEnv);

  it('stores and publishes a declined charge and counts it by reason', async () => {
    // Act
    const emf = await handle(orderCreated('tok_sandbox_declined'));

    // Assess
    expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'payments-test',
      Item: expect.objectContaining({ status: 'FAILED', reason: 'DECLINED' }),
    });
    expect(publishedEventTypes()).toEqual(['PaymentFailed']);
    const [declined, ...others] = emf.declaring('PaymentsDeclined');
    expect(others).toEqual([]);
    expect(declined).toMatchObject({ service: 'payment', reason: 'DECLINED', PaymentsDeclined: 1 });
    expect(dimensionsOf(declined)).toEqual([['service', 'reason']]);
    expect(metricUnit(declined, 'PaymentsDeclined')).toBe('Count');
  });

  it('counts no decline for a charge that went through', async () => {
    // Act
    const emf = await handle(orderCreated('tok_sandbox_success'));

    // Assess
    expect(publishedEventTypes()).toEqual(['PaymentProcessed']);
    expect(emf.declaring('PaymentsDeclined')).toEqual([]);
    expect(emf.declaring('ItemsProcessed')).toHaveLength(1);
  });
});
