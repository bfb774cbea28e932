import { randomUUID } from 'node:crypto';
import {
  createDocumentClient,
  pageCursorKeyFromEnv,
  requireEnv,
  SnsEventPublisher,
} from '@shop/aws-adapters';
import type { OrderDependencies } from '@shop/order-domain';
import { DynamoDbOrderRepository } from './adapters/DynamoDbOrderRepository';

/**
 * Wires the order use cases to DynamoDB and the SNS bus; called once per cold start. The page
 * cursor key (PAGE_CURSOR_KEY or PAGE_CURSOR_SECRET_ID) is read only when a listing issues or
 * checks a cursor: the functions that never list have neither.
 */
export function createOrderDependencies(env: NodeJS.ProcessEnv = process.env): OrderDependencies {
  return {
    orders: new DynamoDbOrderRepository(createDocumentClient(), requireEnv('ORDERS_TABLE', env), {
      cursorKey: pageCursorKeyFromEnv(env),
    }),
    events: new SnsEventPublisher({ topicArn: requireEnv('EVENT_BUS_TOPIC_ARN', env) }),
    clock: { now: () => new Date() },
    newOrderId: randomUUID,
  };
}
