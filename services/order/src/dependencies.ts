import { randomUUID } from 'node:crypto';
import { createDocumentClient, SnsEventPublisher } from '@shop/aws-adapters';
import type { OrderDependencies } from '@shop/order-domain';
import { DynamoDbOrderRepository } from './adapters/DynamoDbOrderRepository';

/** Reads a setting the function cannot run without, failing the cold start with a clear message. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set; it comes from services/order/serverless.yml`);
  return value;
}

/** Wires the order use cases to DynamoDB and the SNS bus; called once per cold start. */
export function createOrderDependencies(env: NodeJS.ProcessEnv = process.env): OrderDependencies {
  return {
    orders: new DynamoDbOrderRepository(createDocumentClient(), requireEnv('ORDERS_TABLE', env)),
    events: new SnsEventPublisher({ topicArn: requireEnv('EVENT_BUS_TOPIC_ARN', env) }),
    clock: { now: () => new Date() },
    newOrderId: randomUUID,
  };
}
