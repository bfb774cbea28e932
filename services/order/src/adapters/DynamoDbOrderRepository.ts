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
  type StoredOrderPage,
} from '@shop/order-domain';

/** Index names and the sparse outbox marker; they match the table in serverless.yml. */
export const ORDERS_BY_CUSTOMER_INDEX = 'byCustomer';
export const UNPUBLISHED_ORDERS_INDEX = 'byOutbox';
const OUTBOX_PENDING = 'PENDING';

/**
 * Orders in one DynamoDB table keyed by `orderId`. An unpublished order carries `outbox = PENDING`,
 * which puts it in a sparse index the sweeper reads; marking it published removes the attribute.
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
    await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { orderId },
        UpdateExpression: 'SET published = :true REMOVE outbox',
        ConditionExpression: 'attribute_exists(orderId)',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
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
function toItem(order: Order): OrderItem {
  return { ...order, ...(order.published ? {} : { outbox: OUTBOX_PENDING }) };
}

function fromItem(item: Record<string, unknown>): Order {
  const { outbox: _outbox, ...order } = item as unknown as OrderItem;
  return order;
}
