import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  createPageCursorCodec,
  InvalidPageCursorError,
  type PageCursorCodec,
  type PageCursorKey,
} from '@shop/aws-adapters';
import {
  type Order,
  type OrderPageRequest,
  type OrderRepository,
  OrderValidationError,
  OrderVersionConflictError,
  type ParkedPublication,
  type StoredOrderPage,
} from '@shop/order-domain';

// Index names and outbox markers below match the table in serverless.yml.
/** The GSI `listByCustomer` pages through: a customer's orders, newest first. */
export const ORDERS_BY_CUSTOMER_INDEX = 'byCustomer';
/** The sparse GSI on `outbox`: only orders with an event that may not be on the bus are in it. */
export const UNPUBLISHED_ORDERS_INDEX = 'byOutbox';
/** `outbox` of an order the sweeper publishes; the sweeper queries only this partition. */
const OUTBOX_PENDING = 'PENDING';
/** `outbox` of an order the sweeper gave up on: out of its query, listed by `pnpm parked`. */
const OUTBOX_PARKED = 'PARKED';

export interface DynamoDbOrderRepositoryOptions {
  /** The stage's secret key the cursors of `listByCustomer` are authenticated with (HMAC-SHA256). */
  cursorKey: PageCursorKey;
}

/**
 * Orders in one DynamoDB table keyed by `orderId`. An order with an event not yet on the bus
 * (OrderCreated, or its decision) carries `outbox = PENDING`, which puts it in a sparse index the
 * sweeper reads; once everything is published the attribute goes. An order the sweeper keeps
 * failing to publish is parked: `outbox = PARKED` keeps it in the index, under a key the sweeper
 * does not query, so `listParked` finds it without a scan. `save` is guarded by `version`
 * (optimistic concurrency); `create` writes only an order id that is not there yet and leaves an
 * existing order as it is. Page cursors carry an HMAC bound to the customer whose orders they page
 * through, so they are refused for anyone else.
 */
export class DynamoDbOrderRepository implements OrderRepository {
  readonly #cursors: PageCursorCodec;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDbOrderRepositoryOptions,
  ) {
    this.#cursors = createPageCursorCodec({
      key: options.cursorKey,
      listing: `orders.${ORDERS_BY_CUSTOMER_INDEX}`,
      // The GSI's LastEvaluatedKey: the table key and the index key.
      keyAttributes: ['orderId', 'customerId', 'createdAt'],
    });
  }

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
    const startKey = page.cursor ? await this.#decodeCursor(page.cursor, customerId) : undefined;
    const { Items = [], LastEvaluatedKey } = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: ORDERS_BY_CUSTOMER_INDEX,
        KeyConditionExpression: 'customerId = :customerId',
        ExpressionAttributeValues: { ':customerId': customerId },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const nextCursor = await this.#cursors.encode(LastEvaluatedKey, customerId);
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
          // Everything is out: the sweeper's bookkeeping goes with the marker.
          UpdateExpression: 'REMOVE outbox, parked, publishAttempts',
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

  async recordPublishFailure(orderId: string): Promise<number | undefined> {
    try {
      const { Attributes } = await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { orderId },
          // One atomic increment: the count never depends on a (possibly stale) index read.
          UpdateExpression:
            'SET publishAttempts = if_not_exists(publishAttempts, :zero) + :one, version = version + :one',
          ConditionExpression: 'outbox = :pending',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':pending': OUTBOX_PENDING },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const attempts = Attributes?.publishAttempts;
      return typeof attempts === 'number' ? attempts : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async park(orderId: string, parked: ParkedPublication): Promise<boolean> {
    return this.#updateIfStill(orderId, {
      UpdateExpression: 'SET parked = :parked, outbox = :parkedOutbox, version = version + :one',
      ConditionExpression: 'outbox = :pending',
      ExpressionAttributeValues: {
        ':parked': parked,
        ':parkedOutbox': OUTBOX_PARKED,
        ':pending': OUTBOX_PENDING,
        ':one': 1,
      },
    });
  }

  async listParked(limit: number): Promise<Order[]> {
    const orders: Order[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: UNPUBLISHED_ORDERS_INDEX,
          KeyConditionExpression: 'outbox = :parked',
          ExpressionAttributeValues: { ':parked': OUTBOX_PARKED },
          Limit: limit - orders.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      orders.push(...Items.map(fromItem));
      startKey = LastEvaluatedKey;
    } while (startKey && orders.length < limit);
    return orders;
  }

  async unpark(orderId: string): Promise<boolean> {
    return this.#updateIfStill(orderId, {
      UpdateExpression:
        'SET outbox = :pending, version = version + :one REMOVE parked, publishAttempts',
      ConditionExpression: 'outbox = :parkedOutbox',
      ExpressionAttributeValues: {
        ':pending': OUTBOX_PENDING,
        ':parkedOutbox': OUTBOX_PARKED,
        ':one': 1,
      },
    });
  }

  /** Applies a conditional update; false when its condition no longer held. */
  async #updateIfStill(
    orderId: string,
    update: Pick<
      UpdateCommandInput,
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.documentClient.send(
        new UpdateCommand({ TableName: this.tableName, Key: { orderId }, ...update }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * The start key of a cursor issued for this customer's listing.
   * @throws OrderValidationError naming `cursor` for any other string.
   */
  async #decodeCursor(cursor: string, customerId: string) {
    try {
      const key = await this.#cursors.decode(cursor, customerId);
      // The HMAC binds the cursor to the customer already; the key must agree with it.
      if (key.customerId !== customerId) throw new InvalidPageCursorError();
      return key;
    } catch (error) {
      if (!(error instanceof InvalidPageCursorError)) throw error;
      throw new OrderValidationError(
        [{ path: 'cursor', message: 'is not a cursor of this listing for this caller' }],
        { cause: error },
      );
    }
  }
}

type OrderItem = Order & { outbox?: typeof OUTBOX_PENDING | typeof OUTBOX_PARKED };

/** Whether the order has an event that may not be on the bus yet. */
function hasUnpublishedEvents(order: Order): boolean {
  return !order.published || (order.status !== 'PENDING' && !order.decisionPublished);
}

/** Which outbox partition the order belongs in, if any. */
function outboxOf(order: Order): OrderItem['outbox'] {
  if (!hasUnpublishedEvents(order)) return undefined;
  return order.parked ? OUTBOX_PARKED : OUTBOX_PENDING;
}

// toItem and fromItem are the one place where an order becomes a table item and back.

/** The item to store: the order, plus the outbox partition it belongs in, if any. */
function toItem(order: Order): OrderItem {
  const outbox = outboxOf(order);
  return { ...order, ...(outbox ? { outbox } : {}) };
}

/**
 * Timeline words older items still hold, and what they are called now: the first entry was
 * `OrderPlaced` before it was named after its bus event. An item is rewritten on its next save.
 */
const RENAMED_TIMELINE_EVENTS: Readonly<Record<string, string>> = { OrderPlaced: 'OrderCreated' };

/** The order an item holds, without the table's bookkeeping and in today's words. */
function fromItem(item: Record<string, unknown>): Order {
  const { outbox: _outbox, ...order } = item as unknown as OrderItem;
  const timeline = order.timeline.map((entry) => {
    const renamed = RENAMED_TIMELINE_EVENTS[entry.event];
    return renamed ? { ...entry, event: renamed } : entry;
  });
  return { ...order, timeline };
}
