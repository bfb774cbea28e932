import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@shop/aws-adapters';
import { InventoryValidationError, type StoredProduct } from '@shop/inventory-domain';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DynamoDbProductStore,
  PRODUCTS_BY_IMAGE_INDEX,
} from '../../src/adapters/DynamoDbProductStore';

// The requests the product store sends and how it reads DynamoDB's answers: a failed condition is
// told apart (unknown product, held already, short of stock, another version) by reading the item.

const documentClient = mockClient(DynamoDBDocumentClient);
const TABLE = 'products-test';

const store = () =>
  new DynamoDbProductStore(createDocumentClient(), TABLE, {
    cursorKey: 'test-page-cursor-key-0123456789abcdef',
  });

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const product = (overrides: Partial<StoredProduct> = {}): StoredProduct => ({
  productId: 'prod-1',
  name: 'Moka pot',
  price: { amount: 3999, currency: 'EUR' },
  stock: 5,
  version: 2,
  priceHistory: [],
  ...overrides,
});

afterEach(() => {
  documentClient.reset();
});

describe('Class: DynamoDbProductStore', () => {
  describe('Method: get', () => {
    it('reads consistently and leaves the holds of orders out of the product', async () => {
      // Prepare
      documentClient.on(GetCommand).resolves({
        Item: { ...product(), hold_order1: 2, hold_order2: 1 },
      });

      // Act
      const found = await store().get('prod-1');

      // Assess
      expect(found).toEqual(product());
      expect(documentClient).toHaveReceivedCommandWith(GetCommand, {
        TableName: TABLE,
        Key: { productId: 'prod-1' },
        ConsistentRead: true,
      });
    });

    it('reads an item from before versioning as version 0 with no price history', async () => {
      const { version: _v, priceHistory: _p, ...seeded } = product();
      documentClient.on(GetCommand).resolves({ Item: seeded });

      expect(await store().get('prod-1')).toEqual(product({ version: 0, priceHistory: [] }));
    });

    it('answers undefined for a product that is not there', async () => {
      documentClient.on(GetCommand).resolves({});

      expect(await store().get('prod-x')).toBeUndefined();
    });
  });

  describe('Method: hold', () => {
    it('takes stock and records the hold in one conditional update', async () => {
      // Prepare
      documentClient.on(UpdateCommand).resolves({ Attributes: { stock: 3, hold_order1: 2 } });

      // Act
      const result = await store().hold('prod-1', 'order1', 2);

      // Assess
      expect(result).toEqual({ outcome: 'HELD', stock: 3 });
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        Key: { productId: 'prod-1' },
        ConditionExpression:
          'attribute_exists(productId) AND stock >= :quantity AND attribute_not_exists(#hold)',
        ExpressionAttributeNames: { '#hold': 'hold_order1' },
        ExpressionAttributeValues: { ':quantity': 2 },
      });
    });

    it.each([
      ['the product is not there', undefined, { outcome: 'UNKNOWN_PRODUCT' }],
      [
        'the order holds it already (a redelivery)',
        { ...product({ stock: 3 }), hold_order1: 2 },
        { outcome: 'ALREADY_HELD', stock: 3 },
      ],
      [
        'the stock is short',
        { ...product({ stock: 1 }), hold_other: 4 },
        { outcome: 'INSUFFICIENT', available: 1 },
      ],
    ])('tells from the item, when the condition fails, that %s', async (_case, item, expected) => {
      // Prepare
      documentClient.on(UpdateCommand).rejects(conditionFailed());
      documentClient.on(GetCommand).resolves(item ? { Item: item } : {});

      // Act
      const result = await store().hold('prod-1', 'order1', 2);

      // Assess
      expect(result).toEqual(expected);
    });

    it('lets any other failure through', async () => {
      documentClient.on(UpdateCommand).rejects(new Error('throttled'));

      await expect(store().hold('prod-1', 'order1', 2)).rejects.toThrow('throttled');
      expect(documentClient).not.toHaveReceivedCommand(GetCommand);
    });
  });

  describe('Method: release', () => {
    it('gives the held quantity back and answers the stock after it', async () => {
      // Prepare: ALL_OLD holds the stock before the release.
      documentClient.on(UpdateCommand).resolves({ Attributes: { stock: 3, hold_order1: 2 } });

      // Act
      const released = await store().release('prod-1', 'order1');

      // Assess
      expect(released).toEqual({ quantity: 2, stock: 5 });
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        UpdateExpression: 'SET stock = stock + #hold REMOVE #hold',
        ConditionExpression: 'attribute_exists(#hold)',
        ReturnValues: 'ALL_OLD',
      });
    });

    it('answers undefined when the order holds nothing (released already)', async () => {
      documentClient.on(UpdateCommand).rejects(conditionFailed());

      expect(await store().release('prod-1', 'order1')).toBeUndefined();
    });

    it('lets any other failure through', async () => {
      documentClient.on(UpdateCommand).rejects(new Error('throttled'));

      await expect(store().release('prod-1', 'order1')).rejects.toThrow('throttled');
    });
  });

  describe('Method: commit', () => {
    it('forgets the hold, and does nothing when it is gone already', async () => {
      // Prepare
      documentClient.on(UpdateCommand).resolvesOnce({}).rejects(conditionFailed());

      // Act / Assess: the second, repeated commit is not an error.
      await store().commit('prod-1', 'order1');
      await store().commit('prod-1', 'order1');
      expect(documentClient).toHaveReceivedCommandTimes(UpdateCommand, 2);
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        UpdateExpression: 'REMOVE #hold',
        ExpressionAttributeNames: { '#hold': 'hold_order1' },
      });
    });

    it('lets any other failure through', async () => {
      documentClient.on(UpdateCommand).rejects(new Error('throttled'));

      await expect(store().commit('prod-1', 'order1')).rejects.toThrow('throttled');
    });
  });

  describe('Method: list', () => {
    it('scans one page and signs a cursor for the next', async () => {
      // Prepare
      documentClient
        .on(ScanCommand)
        .resolves({ Items: [product()], LastEvaluatedKey: { productId: 'prod-1' } });

      // Act
      const page = await store().list({ limit: 1 });

      // Assess
      expect(page.products).toEqual([product()]);
      expect(page.nextCursor).toEqual(expect.any(String));
      expect(documentClient).toHaveReceivedCommandWith(ScanCommand, { TableName: TABLE, Limit: 1 });
    });

    it('gives no cursor on the last page', async () => {
      documentClient.on(ScanCommand).resolves({ Items: [] });

      expect(await store().list({ limit: 10 })).toEqual({ products: [] });
    });

    it('refuses a cursor it did not sign as a validation error naming cursor', async () => {
      const listing = store().list({ limit: 10, cursor: 'forged' });

      await expect(listing).rejects.toBeInstanceOf(InventoryValidationError);
      await expect(listing).rejects.toMatchObject({
        issues: [{ path: 'cursor', message: 'is not a cursor of this listing' }],
      });
      expect(documentClient).not.toHaveReceivedCommand(ScanCommand);
    });
  });

  describe('Method: attachThumbnail', () => {
    const thumbnail = { key: 'thumbnails/a_thumb.png', width: 128, height: 96 };

    it('finds the product by its image key and sets the thumbnail', async () => {
      // Prepare
      documentClient.on(QueryCommand).resolves({ Items: [{ productId: 'prod-1' }] });
      documentClient.on(UpdateCommand).resolves({});

      // Act
      const attachedTo = await store().attachThumbnail('uploads/a.png', thumbnail);

      // Assess
      expect(attachedTo).toBe('prod-1');
      expect(documentClient).toHaveReceivedCommandWith(QueryCommand, {
        IndexName: PRODUCTS_BY_IMAGE_INDEX,
        ExpressionAttributeValues: { ':imageKey': 'uploads/a.png' },
      });
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        Key: { productId: 'prod-1' },
        ExpressionAttributeValues: { ':thumbnail': thumbnail },
      });
    });

    it('answers undefined and writes nothing for an image no product shows', async () => {
      documentClient.on(QueryCommand).resolves({ Items: [] });

      expect(await store().attachThumbnail('uploads/b.png', thumbnail)).toBeUndefined();
      expect(documentClient).not.toHaveReceivedCommand(UpdateCommand);
    });
  });

  describe('Method: create', () => {
    it('writes only a product id that is not taken', async () => {
      documentClient.on(PutCommand).resolvesOnce({}).rejects(conditionFailed());

      expect(await store().create(product())).toBe(true);
      expect(await store().create(product())).toBe(false);
      expect(documentClient).toHaveReceivedCommandWith(PutCommand, {
        ConditionExpression: 'attribute_not_exists(productId)',
      });
    });

    it('lets any other failure through', async () => {
      documentClient.on(PutCommand).rejects(new Error('throttled'));

      await expect(store().create(product())).rejects.toThrow('throttled');
    });
  });

  describe('Method: updateDetails', () => {
    const details = {
      name: 'Moka pot, 6 cups',
      price: { amount: 4299, currency: 'EUR' },
      priceHistory: [],
    };

    it('sets only the details, conditional on the version read, and bumps it', async () => {
      // Prepare
      documentClient
        .on(UpdateCommand)
        .resolves({ Attributes: product({ ...details, version: 3 }) });

      // Act
      const result = await store().updateDetails('prod-1', 2, details);

      // Assess
      expect(result).toEqual({ outcome: 'WRITTEN', product: product({ ...details, version: 3 }) });
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        UpdateExpression:
          'SET #name = :name, #price = :price, #priceHistory = :priceHistory, #version = :next',
        ConditionExpression: '#version = :expected',
        ExpressionAttributeValues: expect.objectContaining({ ':expected': 2, ':next': 3 }),
      });
    });

    it('writes an unversioned (seeded) product only while it has no version', async () => {
      documentClient.on(UpdateCommand).resolves({ Attributes: product({ version: 1 }) });

      await store().updateDetails('prod-1', 0, details);

      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        ConditionExpression: 'attribute_exists(productId) AND attribute_not_exists(#version)',
        ExpressionAttributeValues: expect.not.objectContaining({ ':expected': expect.anything() }),
      });
    });

    it.each([
      ['the product is gone', undefined, { outcome: 'NOT_FOUND' }],
      [
        'another version was written first',
        product({ version: 4 }),
        { outcome: 'VERSION_MISMATCH', version: 4 },
      ],
    ])('answers, when the condition fails, that %s', async (_case, item, expected) => {
      documentClient.on(UpdateCommand).rejects(conditionFailed());
      documentClient.on(GetCommand).resolves(item ? { Item: item } : {});

      expect(await store().updateDetails('prod-1', 2, details)).toEqual(expected);
    });

    it('fails loudly when the condition fails at the version it expected', async () => {
      documentClient.on(UpdateCommand).rejects(conditionFailed());
      documentClient.on(GetCommand).resolves({ Item: product({ version: 2 }) });

      await expect(store().updateDetails('prod-1', 2, details)).rejects.toThrow(
        'update of product prod-1 refused for no known reason',
      );
    });
  });

  describe('Method: adjustStock', () => {
    it('adds a delta (not a new level) conditional on the version', async () => {
      documentClient.on(UpdateCommand).resolves({ Attributes: product({ stock: 8, version: 3 }) });

      const result = await store().adjustStock('prod-1', 2, 3);

      expect(result).toEqual({ outcome: 'WRITTEN', product: product({ stock: 8, version: 3 }) });
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        UpdateExpression: 'SET stock = stock + :delta, #version = :next',
        ConditionExpression: '#version = :expected',
        ExpressionAttributeValues: { ':delta': 3, ':expected': 2, ':next': 3 },
      });
    });

    it('refuses to go below zero in the same update, and says the stock it found', async () => {
      // Prepare
      documentClient.on(UpdateCommand).rejects(conditionFailed());
      documentClient.on(GetCommand).resolves({ Item: product({ stock: 1, version: 2 }) });

      // Act
      const result = await store().adjustStock('prod-1', 2, -3);

      // Assess
      expect(result).toEqual({ outcome: 'INSUFFICIENT', stock: 1 });
      expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
        ConditionExpression: '#version = :expected AND stock >= :needed',
        ExpressionAttributeValues: { ':delta': -3, ':needed': 3, ':expected': 2, ':next': 3 },
      });
    });

    it('lets any other failure through', async () => {
      documentClient.on(UpdateCommand).rejects(new Error('throttled'));

      await expect(store().adjustStock('prod-1', 2, 1)).rejects.toThrow('throttled');
    });
  });
});
