import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodePageCursor, encodePageCursor, InvalidPageCursorError } from '@shop/aws-adapters';
import {
  type Order,
  type OrderPageRequest,
  type OrderRepository,
  OrderValidationError,
  OrderVersionConflictError,
  type StoredOrderPage,
} from '@shop/order-domain';

/** Index names and the sparse outbox marker; they match the table in serverless.yml. */
export const ORDERS_BY_CUSTOMER_INDEX = 'byCustomer';
export const UNPUBLISHED_ORDERS_INDEX = 'byOutbox';
const OUTBOX_PENDING = 'PENDING';

/**
 * Orders in one DynamoDB table keyed by `orderId`. An order with an event not yet on the bus
 * (OrderCreated, or its decision) carries `outbox = PENDING`, which puts it in a sparse index the
 * sweeper reads; once everything is published the attribute goes. Writes of consumers are
 * guarded by `version` (optimistic concurrency).
 */
export class DynamoDbOrderRepository implements OrderRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(order: Order): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(order),
          ConditionExpression: 'attribute_not_exists(orderId)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async listByCustomer(customerId: string, page: OrderPageRequest): Promise<StoredOrderPage> {
    const { Items = [], LastEvaluatedKey } = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: ORDERS_BY_CUSTOMER_INDEX,
        KeyConditionExpression: 'customerId = :customerId',
        ExpressionAttributeValues: { ':customerId': customerId },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.cursor ? { ExclusiveStartKey: this.#decodeCursor(page.cursor, customerId) } : {}),
      }),
    );
    const nextCursor = encodePageCursor(LastEvaluatedKey);
    return { orders: Items.map(fromItem), ...(nextCursor ? { nextCursor } : {}) };
  }

  async markPublished(orderId: string): Promise<void> {
    await this.#setFlagAndClearOutbox(orderId, 'published');
  }

  async markDecisionPublished(orderId: string): Promise<void> {
    await this.#setFlagAndClearOutbox(orderId, 'decisionPublished');
  }

  async save(order: Order, expectedVersion: number): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(order),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new OrderVersionConflictError(order.orderId);
      throw error;
    }
  }

  /**
   * Sets a "published" flag, then drops the outbox marker if nothing is left to publish. Two
   * writes, each safe to repeat; the marker only goes when the stored item says all is out.
   */
  async #setFlagAndClearOutbox(orderId: string, flag: 'published' | 'decisionPublished') {
    await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { orderId },
        // Bumping the version makes a consumer that read the order before this write save again
        // from a fresh read, instead of writing the old flag back.
        UpdateExpression: 'SET #flag = :true, version = version + :one',
        ConditionExpression: 'attribute_exists(orderId)',
        ExpressionAttributeNames: { '#flag': flag },
        ExpressionAttributeValues: { ':true': true, ':one': 1 },
      }),
    );
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { orderId },
          UpdateExpression: 'REMOVE outbox',
          ConditionExpression:
            'published = :true AND (#status = :pending OR decisionPublished = :true)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':true': true, ':pending': 'PENDING' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async listUnpublished(createdBefore: string, limit: number): Promise<Order[]> {
    const { Items = [] } = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: UNPUBLISHED_ORDERS_INDEX,
        KeyConditionExpression: 'outbox = :pending AND createdAt < :before',
        ExpressionAttributeValues: { ':pending': OUTBOX_PENDING, ':before': createdBefore },
        Limit: limit,
      }),
    );
    return Items.map(fromItem);
  }

  #decodeCursor(cursor: string, customerId: string) {
    try {
      const key = decodePageCursor(cursor, ['orderId', 'customerId', 'createdAt']);
      if (key.customerId !== customerId) throw new InvalidPageCursorError();
      return key;
    } catch (error) {
      if (!(error instanceof InvalidPageCursorError)) throw error;
      throw new OrderValidationError(
        [{ path: 'cursor', message: 'is not a cursor of this listing' }],
        {
          cause: error,
        },
      );
    }
  }
}

type OrderItem = Order & { outbox?: typeof OUTBOX_PENDING };

/** The one place where an order becomes a table item and back. */
/** Whether the order has an event that may not be on the bus yet. */
function hasUnpublishedEvents(order: Order): boolean {
  return !order.published || (order.status !== 'PENDING' && !order.decisionPublished);
}

function toItem(order: Order): OrderItem {
  return { ...order, ...(hasUnpublishedEvents(order) ? { outbox: OUTBOX_PENDING } : {}) };
}

function fromItem(item: Record<string, unknown>): Order {
  const { outbox: _outbox, ...order } = item as unknown as OrderItem;
  return order;
}
