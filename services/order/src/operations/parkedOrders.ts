import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '@shop/aws-adapters';
import {
  listParkedOrders,
  type ParkedOrder,
  type RetryParkedResult,
  retryParkedOrders,
} from '@shop/order-domain';
import { DynamoDbOrderRepository } from '../adapters/DynamoDbOrderRepository';

/** The orders table of a stage, as `custom.ordersTable` in serverless.yml names it. */
export const ordersTableName = (stage: string) => `shop-order-${stage}-orders`;

export interface ParkedOrdersOptions {
  /** Whose orders table: `shop-order-<stage>-orders`. */
  stage: string;
  /** Where DynamoDB is: the local cloud's endpoint and credentials, or nothing extra for AWS. */
  dynamoDb?: DynamoDBClientConfig;
}

/** What `pnpm parked` can do to one stage's parked orders. */
export interface ParkedOrdersOperations {
  tableName: string;
  list(limit: number): Promise<ParkedOrder[]>;
  retry(orderIds: readonly string[]): Promise<RetryParkedResult>;
  /** Retries every parked order (up to `limit`). */
  retryAll(limit: number): Promise<RetryParkedResult>;
}

/**
 * The operations behind `pnpm parked`, for people, on the local cloud or on AWS. They go through
 * the order service's own repository, so the command reads and writes orders exactly as the
 * sweeper does: one definition of the item and of the outbox.
 *
 * @example
 * ```ts
 * const parked = parkedOrdersOperations({ stage: 'local',
 *   dynamoDb: { endpoint: 'http://127.0.0.1:4566', region: 'eu-west-1' } });
 * for (const order of await parked.list(100)) console.log(order.orderId, order.parked.reason);
 * await parked.retryAll(100);
 * ```
 */
export function parkedOrdersOperations(options: ParkedOrdersOptions): ParkedOrdersOperations {
  const tableName = ordersTableName(options.stage);
  const orders = new DynamoDbOrderRepository(
    createDocumentClient({ config: options.dynamoDb ?? {} }),
    tableName,
    {
      // Parked orders are not listed by customer: no page cursor is ever signed or read here.
      cursorKey: async () => {
        throw new Error('pnpm parked does not page through customers’ orders');
      },
    },
  );
  return {
    tableName,
    list: (limit) => listParkedOrders({ orders }, { limit }),
    retry: (orderIds) => retryParkedOrders({ orders }, orderIds),
    retryAll: async (limit) => {
      const parked = await listParkedOrders({ orders }, { limit });
      return retryParkedOrders(
        { orders },
        parked.map((order) => order.orderId),
      );
    },
  };
}
