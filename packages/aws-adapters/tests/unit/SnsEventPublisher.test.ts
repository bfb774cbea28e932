import 'aws-sdk-client-mock-jest';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { buildEvent, type ShopEvent } from '@shop/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { SnsEventPublisher } from '../../src/sns/SnsEventPublisher';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:shop-event-bus';

function paymentFailed(): ShopEvent<'PaymentFailed'> {
  return buildEvent(
    'PaymentFailed',
    { orderId: 'order-1', reason: 'DECLINED', detail: 'The card was declined.' },
    {
      correlationId: 'corr-123',
      eventId: '6f1c2b0a-3d4e-4f5a-8b6c-7d8e9f0a1b2c',
      occurredAt: new Date('2024-05-01T10:00:00.000Z'),
    },
  );
}

describe('Class: SnsEventPublisher', () => {
  const snsMock = mockClient(SNSClient);

  beforeEach(() => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  });

  afterEach(() => {
    snsMock.reset();
  });

  it('publishes the event as JSON to the topic with its routing attributes', async () => {
    // Prepare
    const publisher = new SnsEventPublisher({ topicArn: TOPIC_ARN });
    const event = paymentFailed();

    // Act
    await publisher.publish(event);

    // Assess
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC_ARN,
      Message: JSON.stringify(event),
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'PaymentFailed' },
        eventVersion: { DataType: 'Number', StringValue: '1' },
        correlationId: { DataType: 'String', StringValue: 'corr-123' },
        source: { DataType: 'String', StringValue: 'payment' },
      },
    });
  });

  it('sends a message that parses back to the same event', async () => {
    const publisher = new SnsEventPublisher({ topicArn: TOPIC_ARN });
    const event = paymentFailed();

    await publisher.publish(event);

    const input = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(JSON.parse(input?.Message ?? 'null')).toEqual(event);
    // Only the four attributes subscriptions filter on; nothing else leaks into them.
    expect(Object.keys(input?.MessageAttributes ?? {}).sort()).toEqual([
      'correlationId',
      'eventType',
      'eventVersion',
      'source',
    ]);
  });

  it('sends one message per event, each with its own attributes', async () => {
    // Prepare
    const publisher = new SnsEventPublisher({ topicArn: TOPIC_ARN });
    const created = buildEvent(
      'InventoryReserved',
      { orderId: 'order-2', lines: [{ productId: 'p', quantity: 1 }] },
      { correlationId: 'corr-2' },
    );

    // Act
    await publisher.publish(paymentFailed());
    await publisher.publish(created);

    // Assess
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 2);
    expect(snsMock).toHaveReceivedNthCommandWith(2, PublishCommand, {
      MessageAttributes: expect.objectContaining({
        eventType: { DataType: 'String', StringValue: 'InventoryReserved' },
        correlationId: { DataType: 'String', StringValue: 'corr-2' },
        source: { DataType: 'String', StringValue: 'inventory' },
      }),
    });
  });

  it('uses a ready client when given one', async () => {
    // Prepare
    const client = new SNSClient({ region: 'eu-west-1' });
    const publisher = new SnsEventPublisher({ topicArn: TOPIC_ARN, client });

    // Act
    await publisher.publish(paymentFailed());

    // Assess
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(snsMock.call(0).thisValue).toBe(client);
  });

  it('builds its own client from the given config otherwise', async () => {
    // Prepare
    const publisher = new SnsEventPublisher({
      topicArn: TOPIC_ARN,
      config: { region: 'ap-southeast-2' },
    });

    // Act
    await publisher.publish(paymentFailed());

    // Assess
    const client = snsMock.call(0).thisValue as SNSClient;
    expect(client).toBeInstanceOf(SNSClient);
    await expect(client.config.region()).resolves.toBe('ap-southeast-2');
  });

  it('propagates SDK errors so the caller can retry or record the failure', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
    snsMock.on(PublishCommand).rejects(throttled);
    const publisher = new SnsEventPublisher({ topicArn: TOPIC_ARN });

    // Act & Assess
    await expect(publisher.publish(paymentFailed())).rejects.toThrow('Rate exceeded');
  });
});
