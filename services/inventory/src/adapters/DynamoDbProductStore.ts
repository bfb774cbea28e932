import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  createPageCursorCodec,
  InvalidPageCursorError,
  type PageCursorCodec,
  type PageCursorKey,
} from '@shop/aws-adapters';
import {
  type HoldResult,
  InventoryValidationError,
  type Product,
  type ProductDetails,
  type ProductStore,
  type StockAdjustmentResult,
  type StoredProduct,
  type VersionedWriteResult,
} from '@shop/inventory-domain';

/** Index of products by image key, for attaching thumbnails; matches serverless.yml. */
export const PRODUCTS_BY_IMAGE_INDEX = 'byImageKey';

/** The attribute in which a product records what one order holds of it. */
const holdAttribute = (orderId: string) => `hold_${orderId}`;
const HOLD_PREFIX = 'hold_';

export interface DynamoDbProductStoreOptions {
  /** The stage's secret key the cursors of `list` are authenticated with (HMAC-SHA256). */
  cursorKey: PageCursorKey;
}

/**
 * Products in one DynamoDB table keyed by `productId`. Each product item also carries
 * `hold_<orderId>` attributes: taking stock decrements `stock` and writes the hold in one
 * conditional update, so it cannot oversell and cannot take twice for the same order.
 *
 * Administrators' writes are conditional on `version` and bump it; reservations never touch it.
 * Items written before versioning (the seed) have no `version` and count as version 0.
 */
export class DynamoDbProductStore implements ProductStore {
  readonly #cursors: PageCursorCodec;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDbProductStoreOptions,
  ) {
    // The catalog is public and the same for everyone: its cursors are bound to no caller.
    this.#cursors = createPageCursorCodec({
      key: options.cursorKey,
      listing: 'products',
      keyAttributes: ['productId'],
    });
  }

  async get(productId: string): Promise<StoredProduct | undefined> {
    const item = await this.#item(productId);
    return item ? toStoredProduct(item) : undefined;
  }

  async list(page: { limit: number; cursor?: string }) {
    const startKey = page.cursor ? await this.#decodeCursor(page.cursor) : undefined;
    const { Items = [], LastEvaluatedKey } = await this.documentClient.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const nextCursor = await this.#cursors.encode(LastEvaluatedKey);
    return { products: Items.map(toStoredProduct), ...(nextCursor ? { nextCursor } : {}) };
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

  async create(product: StoredProduct): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: product,
          ConditionExpression: 'attribute_not_exists(productId)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async updateDetails(
    productId: string,
    expectedVersion: number,
    details: ProductDetails,
  ): Promise<VersionedWriteResult> {
    const set: Record<string, unknown> = {
      name: details.name,
      price: details.price,
      priceHistory: details.priceHistory,
      ...(details.description === undefined ? {} : { description: details.description }),
    };
    const names = Object.keys(set);
    // Only the named attributes are set: stock and holds stay as reservations left them.
    const result = await this.#versionedUpdate(productId, expectedVersion, {
      UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}, #version = :next`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n) => [`#${n}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n) => [`:${n}`, set[n]])),
    });
    if (result.outcome === 'INSUFFICIENT') {
      // No stock condition was sent; only the version or a missing item can refuse this write.
      throw new Error(`update of product ${productId} refused for no known reason`);
    }
    return result;
  }

  async adjustStock(
    productId: string,
    expectedVersion: number,
    delta: number,
  ): Promise<StockAdjustmentResult> {
    // A delta, not a new level: holds taken or given back since the administrator read the
    // product stay counted. DynamoDB conditions cannot add, so `stock + delta >= 0` is written as
    // `stock >= -delta`, checked in the same atomic update as the version.
    return this.#versionedUpdate(
      productId,
      expectedVersion,
      {
        UpdateExpression: 'SET stock = stock + :delta, #version = :next',
        ExpressionAttributeValues: {
          ':delta': delta,
          ...(delta < 0 ? { ':needed': -delta } : {}),
        },
      },
      delta < 0 ? 'stock >= :needed' : undefined,
    );
  }

  /**
   * An update of the product at `expectedVersion` that bumps the version, with an extra stock
   * condition if given. When a condition fails, reads the item to tell which: no item, another
   * version, or (the version being right) the stock.
   */
  async #versionedUpdate(
    productId: string,
    expectedVersion: number,
    update: {
      UpdateExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
    extraCondition?: string,
  ): Promise<StockAdjustmentResult> {
    const versionCondition =
      expectedVersion === 0
        ? 'attribute_exists(productId) AND attribute_not_exists(#version)'
        : '#version = :expected';
    try {
      const { Attributes } = await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { productId },
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: extraCondition
            ? `${versionCondition} AND ${extraCondition}`
            : versionCondition,
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#version': 'version' },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
            ':next': expectedVersion + 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'WRITTEN', product: toStoredProduct(Attributes ?? {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const item = await this.#item(productId);
    if (!item) return { outcome: 'NOT_FOUND' };
    const current = toStoredProduct(item);
    if (current.version !== expectedVersion) {
      return { outcome: 'VERSION_MISMATCH', version: current.version };
    }
    return { outcome: 'INSUFFICIENT', stock: current.stock };
  }

  /**
   * The start key of a cursor this listing issued.
   * @throws InventoryValidationError naming `cursor` for any other string.
   */
  async #decodeCursor(cursor: string) {
    try {
      return await this.#cursors.decode(cursor);
    } catch (error) {
      if (!(error instanceof InvalidPageCursorError)) throw error;
      throw new InventoryValidationError(
        [{ path: 'cursor', message: 'is not a cursor of this listing' }],
        { cause: error },
      );
    }
  }

  async #item(productId: string) {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { productId }, ConsistentRead: true }),
    );
    return Item;
  }
}

/**
 * The one place where an item becomes a product: holds are bookkeeping, not part of it, and an
 * item from before versioning and price history is at version 0 with no history.
 */
function toStoredProduct(item: Record<string, unknown>): StoredProduct {
  const product = Object.fromEntries(
    Object.entries(item).filter(([name]) => !name.startsWith(HOLD_PREFIX)),
  ) as Product & Partial<Pick<StoredProduct, 'version' | 'priceHistory'>>;
  return {
    ...product,
    version: Number(product.version ?? 0),
    priceHistory: product.priceHistory ?? [],
  };
}
