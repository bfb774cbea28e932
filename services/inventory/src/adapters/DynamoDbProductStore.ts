import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodePageCursor, encodePageCursor, InvalidPageCursorError } from '@shop/aws-adapters';
import {
  type HoldResult,
  InventoryValidationError,
  type Product,
  type ProductStore,
} from '@shop/inventory-domain';

/** Index of products by image key, for attaching thumbnails; matches serverless.yml. */
export const PRODUCTS_BY_IMAGE_INDEX = 'byImageKey';

/** The attribute in which a product records what one order holds of it. */
const holdAttribute = (orderId: string) => `hold_${orderId}`;
const HOLD_PREFIX = 'hold_';

/**
 * Products in one DynamoDB table keyed by `productId`. Each product item also carries
 * `hold_<orderId>` attributes: taking stock decrements `stock` and writes the hold in one
 * conditional update, so it cannot oversell and cannot take twice for the same order.
 */
export class DynamoDbProductStore implements ProductStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(productId: string): Promise<Product | undefined> {
    const item = await this.#item(productId);
    return item ? toProduct(item) : undefined;
  }

  async list(page: { limit: number; cursor?: string }) {
    const { Items = [], LastEvaluatedKey } = await this.documentClient.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: page.limit,
        ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor) } : {}),
      }),
    );
    const nextCursor = encodePageCursor(LastEvaluatedKey);
    return { products: Items.map(toProduct), ...(nextCursor ? { nextCursor } : {}) };
  }

  async hold(productId: string, orderId: string, quantity: number): Promise<HoldResult> {
    try {
      const { Attributes } = await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { productId },
          UpdateExpression: 'SET stock = stock - :quantity, #hold = :quantity',
          ConditionExpression:
            'attribute_exists(productId) AND stock >= :quantity AND attribute_not_exists(#hold)',
          ExpressionAttributeNames: { '#hold': holdAttribute(orderId) },
          ExpressionAttributeValues: { ':quantity': quantity },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { outcome: 'HELD', stock: Number(Attributes?.stock) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Which condition failed decides the answer.
    const item = await this.#item(productId);
    if (!item) return { outcome: 'UNKNOWN_PRODUCT' };
    if (item[holdAttribute(orderId)] !== undefined)
      return { outcome: 'ALREADY_HELD', stock: Number(item.stock) };
    return { outcome: 'INSUFFICIENT', available: Number(item.stock) };
  }

  async release(productId: string, orderId: string) {
    try {
      const { Attributes } = await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { productId },
          UpdateExpression: 'SET stock = stock + #hold REMOVE #hold',
          ConditionExpression: 'attribute_exists(#hold)',
          ExpressionAttributeNames: { '#hold': holdAttribute(orderId) },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const quantity = Number(Attributes?.[holdAttribute(orderId)]);
      return { quantity, stock: Number(Attributes?.stock) + quantity };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async commit(productId: string, orderId: string): Promise<void> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { productId },
          UpdateExpression: 'REMOVE #hold',
          ConditionExpression: 'attribute_exists(#hold)',
          ExpressionAttributeNames: { '#hold': holdAttribute(orderId) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async attachThumbnail(imageKey: string, thumbnail: NonNullable<Product['thumbnail']>) {
    const { Items = [] } = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PRODUCTS_BY_IMAGE_INDEX,
        KeyConditionExpression: 'imageKey = :imageKey',
        ExpressionAttributeValues: { ':imageKey': imageKey },
      }),
    );
    const productId = Items[0]?.productId as string | undefined;
    if (!productId) return undefined;
    await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { productId },
        UpdateExpression: 'SET thumbnail = :thumbnail',
        ConditionExpression: 'attribute_exists(productId)',
        ExpressionAttributeValues: { ':thumbnail': thumbnail },
      }),
    );
    return productId;
  }

  async #item(productId: string) {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { productId }, ConsistentRead: true }),
    );
    return Item;
  }
}

/** The one place where an item becomes a product: holds are bookkeeping, not part of it. */
function toProduct(item: Record<string, unknown>): Product {
  return Object.fromEntries(
    Object.entries(item).filter(([name]) => !name.startsWith(HOLD_PREFIX)),
  ) as Product;
}

function decodeCursor(cursor: string) {
  try {
    return decodePageCursor(cursor, ['productId']);
  } catch (error) {
    if (!(error instanceof InvalidPageCursorError)) throw error;
    throw new InventoryValidationError(
      [{ path: 'cursor', message: 'is not a cursor of this listing' }],
      { cause: error },
    );
  }
}
