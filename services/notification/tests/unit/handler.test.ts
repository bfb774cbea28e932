import 'aws-sdk-client-mock-jest';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildEvent, type EventDataInput, eventCatalogue } from '@shop/contracts';
import { fakeContext, sqsEvent, sqsRecord } from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';

// The handler with its real adapters and the real idempotency layer, the SDK mocked underneath:
// which emails go out, what lands in the DLQ, and what Lambda is told to retry.

const DLQ_URL =
  'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-notification-test-events-dlq';
const SENDER = 'orders@shop.example.com';
process.env.EVENTS_DLQ_URL = DLQ_URL;
process.env.IDEMPOTENCY_TABLE = 'shop-notification-test-idempotency';
process.env.SENDER_EMAIL = SENDER;

const ses = mockClient(SESv2Client);
const sqs = mockClient(SQSClient);
const dynamoDb = mockClient(DynamoDBClient);

type Item = Record<string, AttributeValue>;

/**
 * The idempotency table as DynamoDB would answer Powertools: a put for an id that is already
 * there fails its condition and returns the stored record. Every record stays live: no test
 * outlasts its expiry.
 */
function fakeIdempotencyTable() {
  const items = new Map<string, Item>();
  const idOf = (key: Item | undefined) => key?.id?.S ?? '';
  dynamoDb.on(PutItemCommand).callsFake(({ Item: item }: { Item: Item }) => {
    const existing = items.get(idOf(item));
    if (existing) {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: existing,
      });
    }
    items.set(idOf(item), item);
    return {};
  });
  dynamoDb.on(UpdateItemCommand).callsFake((input) => {
    const item = { ...items.get(idOf(input.Key)) };
    // Powertools writes `SET #a = :a, #b = :b`; apply exactly that.
    for (const [, name, value] of input.UpdateExpression.matchAll(/(#\w+) = (:\w+)/g)) {
      item[input.ExpressionAttributeNames[name]] = input.ExpressionAttributeValues[value];
    }
    items.set(idOf(input.Key), item);
    return {};
  });
  dynamoDb.on(DeleteItemCommand).callsFake((input) => {
    items.delete(idOf(input.Key));
    return {};
  });
  dynamoDb.on(GetItemCommand).callsFake((input) => ({ Item: items.get(idOf(input.Key)) }));
  return items;
}

const paymentProcessed = (data: Partial<EventDataInput<'PaymentProcessed'>> = {}) =>
  buildEvent(
    'PaymentProcessed',
    { ...eventCatalogue.PaymentProcessed.example, ...data },
    { correlationId: 'corr-pay' },
  );
const orderConfirmed = (data: Partial<EventDataInput<'OrderConfirmed'>> = {}) =>
  buildEvent(
    'OrderConfirmed',
    { ...eventCatalogue.OrderConfirmed.example, ...data },
    { correlationId: 'corr-confirm' },
  );
const orderCancelled = (data: Partial<EventDataInput<'OrderCancelled'>> = {}) =>
  buildEvent(
    'OrderCancelled',
    { ...eventCatalogue.OrderCancelled.example, ...data },
    { correlationId: 'corr-cancel' },
  );

/** The SendEmail inputs SES received, in order. */
const sentEmails = (): SendEmailCommandInput[] =>
  ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);

const load = async () => (await import('../../src/functions/handleCustomerEvents/handler')).handler;

describe('Function: handleCustomerEvents', () => {
  let idempotencyRecords: Map<string, Item>;

  beforeEach(() => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-message-1' });
    idempotencyRecords = fakeIdempotencyTable();
  });

  afterEach(() => {
    ses.reset();
    sqs.reset();
    dynamoDb.reset();
  });

  it.each([
    {
      event: paymentProcessed({ orderId: 'order-7', customerEmail: 'ada@example.com' }),
      subject: 'Your receipt for order order-7',
    },
    {
      event: orderConfirmed({ orderId: 'order-7', customerEmail: 'ada@example.com' }),
      subject: 'Your order order-7 is confirmed',
    },
    {
      event: orderCancelled({ orderId: 'order-7', customerEmail: 'ada@example.com' }),
      subject: 'Your order order-7 has been cancelled',
    },
  ])('emails the customer once for $event.eventType', async ({ event, subject }) => {
    // Prepare
    const handler = await load();

    // Act
    const response = await handler(sqsEvent(sqsRecord(event)), fakeContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: SENDER,
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: {
        Simple: expect.objectContaining({
          Subject: { Data: subject, Charset: 'UTF-8' },
        }),
      },
    });
    expect(sentEmails()[0]?.EmailTags).toEqual(
      expect.arrayContaining([
        { Name: 'correlationId', Value: event.correlationId },
        { Name: 'eventId', Value: event.eventId },
        { Name: 'eventType', Value: event.eventType },
        { Name: 'orderId', Value: 'order-7' },
      ]),
    );
  });

  it('emails the verified address of the event and nobody else: no copies, no reply-to', async () => {
    // Prepare
    const handler = await load();
    const event = orderConfirmed({ customerEmail: 'ada@example.com' });

    // Act
    await handler(sqsEvent(sqsRecord(event)), fakeContext());

    // Assess
    const [email] = sentEmails();
    expect(email?.Destination).toEqual({ ToAddresses: ['ada@example.com'] });
    expect(email?.ReplyToAddresses).toBeUndefined();
    expect(email?.FromEmailAddress).toBe(SENDER);
  });

  it.each<{ case: string; data: Partial<EventDataInput<'OrderCancelled'>>; clientText: string }>([
    {
      case: 'inventory refused a product id the client made up',
      data: {
        reason: 'INVENTORY_UNAVAILABLE',
        lines: [
          {
            productId: 'www.win-a-prize.example',
            quantity: 2,
            unitPrice: { amount: 1, currency: 'EUR' },
          },
        ],
        detail: 'www.win-a-prize.example is not in the catalog',
      },
      clientText: 'win-a-prize',
    },
    {
      case: "the payment provider's message",
      data: {
        reason: 'PAYMENT_FAILED',
        detail: 'Your card has insufficient funds. (card_declined)',
      },
      clientText: 'insufficient funds',
    },
  ])('sends a cancellation that does not repeat $case', async ({ data, clientText }) => {
    // Prepare
    const handler = await load();

    // Act
    await handler(sqsEvent(sqsRecord(orderCancelled(data))), fakeContext());

    // Assess
    const simple = sentEmails()[0]?.Content?.Simple;
    const shown = [simple?.Subject?.Data, simple?.Body?.Text?.Data, simple?.Body?.Html?.Data];
    expect(shown.every((part) => typeof part === 'string' && part.length > 0)).toBe(true);
    expect(shown.join('\n')).not.toContain(clientText);
  });

  it('emails each customer of a mixed batch their own email', async () => {
    // Prepare
    const handler = await load();

    // Act
    const response = await handler(
      sqsEvent(
        sqsRecord(paymentProcessed({ customerEmail: 'ada@example.com' }), { messageId: 'msg-1' }),
        sqsRecord(orderConfirmed({ customerEmail: 'grace@example.org' }), { messageId: 'msg-2' }),
        sqsRecord(orderCancelled({ customerEmail: 'alan@example.net' }), { messageId: 'msg-3' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(
      sentEmails().map((email) => [
        email.Destination?.ToAddresses,
        email.Content?.Simple?.Subject?.Data,
      ]),
    ).toEqual([
      [['ada@example.com'], expect.stringMatching(/^Your receipt/)],
      [['grace@example.org'], expect.stringMatching(/is confirmed$/)],
      [['alan@example.net'], expect.stringMatching(/has been cancelled$/)],
    ]);
  });

  it('sends nothing twice when an event is delivered again in a later batch', async () => {
    // Prepare
    const handler = await load();
    const event = orderConfirmed();
    await handler(sqsEvent(sqsRecord(event, { messageId: 'msg-1' })), fakeContext());

    // Act
    const response = await handler(
      sqsEvent(sqsRecord(event, { messageId: 'msg-2' })),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect([...idempotencyRecords.values()].map((item) => item.status)).toEqual([
      { S: 'COMPLETED' },
    ]);
  });

  it('sends nothing twice when an event appears twice in one batch', async () => {
    // Prepare
    const handler = await load();
    const event = paymentProcessed();

    // Act
    const response = await handler(
      sqsEvent(sqsRecord(event, { messageId: 'msg-1' }), sqsRecord(event, { messageId: 'msg-2' })),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it.each([
    { case: 'a body that is not JSON', body: 'not json {' },
    {
      case: 'an event it does not email about',
      body: JSON.stringify(
        buildEvent('OrderCreated', eventCatalogue.OrderCreated.example, { correlationId: 'c' }),
      ),
    },
    {
      case: 'an event missing its customer email',
      body: JSON.stringify({
        ...orderConfirmed(),
        data: { ...eventCatalogue.OrderConfirmed.example, customerEmail: undefined },
      }),
    },
  ])('sends $case to the DLQ, not to a retry, and emails its batch-mates', async ({ body }) => {
    // Prepare
    const handler = await load();

    // Act
    const response = await handler(
      sqsEvent(
        sqsRecord(body, { messageId: 'msg-bad' }),
        sqsRecord(orderConfirmed(), { messageId: 'msg-good' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: DLQ_URL,
      MessageBody: body,
      MessageAttributes: expect.objectContaining({
        sourceMessageId: { DataType: 'String', StringValue: 'msg-bad' },
      }),
    });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('reports the record whose email SES refuses, and only that one', async () => {
    // Prepare
    ses.on(SendEmailCommand, { Destination: { ToAddresses: ['bounce@example.com'] } }).rejects(
      Object.assign(new Error('Throttling: Maximum sending rate exceeded.'), {
        name: 'TooManyRequestsException',
      }),
    );
    const handler = await load();

    // Act
    const response = await handler(
      sqsEvent(
        sqsRecord(orderConfirmed({ customerEmail: 'ada@example.com' }), { messageId: 'msg-1' }),
        sqsRecord(orderConfirmed({ customerEmail: 'bounce@example.com' }), { messageId: 'msg-2' }),
        sqsRecord(orderCancelled({ customerEmail: 'grace@example.org' }), { messageId: 'msg-3' }),
      ),
      fakeContext(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-2' }] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 3);
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });

  it('sends the email on redelivery after SES refused it', async () => {
    // Prepare
    const event = paymentProcessed();
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new Error('Service unavailable'))
      .resolves({ MessageId: 'ses-message-2' });
    const handler = await load();
    const first = await handler(sqsEvent(sqsRecord(event, { messageId: 'msg-1' })), fakeContext());

    // Act
    const second = await handler(sqsEvent(sqsRecord(event, { messageId: 'msg-1' })), fakeContext());

    // Assess
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 2);
    expect(dynamoDb).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
  });
});
