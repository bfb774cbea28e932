import { PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import type { EventPublisher, ShopEvent } from '@shop/contracts';

export type SnsEventPublisherOptions = { topicArn: string } & (
  | { client: SNSClient }
  | { config?: SNSClientConfig }
);

/**
 * Publishes events to the bus topic. The event type, version and correlation id travel as message
 * attributes, so subscriptions filter on them without parsing the body.
 *
 * @example
 * ```ts
 * const events = new SnsEventPublisher({ topicArn: process.env.EVENT_BUS_TOPIC_ARN! });
 * await events.publish(buildEvent('OrderCreated', data, { correlationId }));
 * ```
 */
export class SnsEventPublisher implements EventPublisher {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(options: SnsEventPublisherOptions) {
    this.#client = 'client' in options ? options.client : new SNSClient(options.config ?? {});
    this.#topicArn = options.topicArn;
  }

  async publish(event: ShopEvent): Promise<void> {
    await this.#client.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: event.eventType },
          eventVersion: { DataType: 'Number', StringValue: String(event.version) },
          correlationId: { DataType: 'String', StringValue: event.correlationId },
          source: { DataType: 'String', StringValue: event.source },
        },
      }),
    );
  }
}
