import { join } from 'node:path';
import { createDocumentClient } from '@shop/aws-adapters';
import {
  InventoryValidationError,
  type ReservationDecision,
  type StoredProduct,
} from '@shop/inventory-domain';
import { type DynamoDbForTests, declaredTable, startDynamoDbForTests } from '@shop/local-cloud';
import { DynamoDbProductStore } from '../../src/adapters/DynamoDbProductStore';
import { DynamoDbReservationDecisions } from '../../src/adapters/DynamoDbReservationDecisions';

// Inventory's stores against DynamoDB's behaviour (dynalite, in this process, on a free 127.0.0.1
// port): stock taken by conditional updates that cannot oversell or take twice, versioned
// administrator writes, scan pages, the sparse image index, one decision per order.
// The tables are the ones serverless.yml declares (ProductsTable, ReservationsTable), read from it.

const PRODUCTS = 'products-int';
const RESERVATIONS = 'reservations-int';

let dynamoDb: DynamoDbForTests;
let products: DynamoDbProductStore;
let decisions: DynamoDbReservationDecisions;

beforeAll(async () => {
  const serviceDir = join(__dirname, '..', '..');
  dynamoDb = await startDynamoDbForTests([
    declaredTable(serviceDir, 'ProductsTable', PRODUCTS),
    declaredTable(serviceDir, 'ReservationsTable', RESERVATIONS),
  ]);
  const documentClient = createDocumentClient({ client: dynamoDb.client });
  products = new DynamoDbProductStore(documentClient, PRODUCTS, {
    cursorKey: 'test-page-cursor-key-0123456789abcdef',
  });
  decisions = new DynamoDbReservationDecisions(documentClient, RESERVATIONS);
});

afterAll(() => dynamoDb?.stop());

const product = (productId: string, overrides: Partial<StoredProduct> = {}): StoredProduct => ({
  productId,
  name: `Product ${productId}`,
  price: { amount: 1000, currency: 'EUR' },
  stock: 5,
  version: 1,
  priceHistory: [],
  ...overrides,
});

describe('Class: DynamoDbProductStore (on DynamoDB)', () => {
  it('never oversells when many orders take the same stock at once', async () => {
    // Prepare: 5 units, 12 orders of 1 each.
    await products.create(product('prod-race', { stock: 5 }));
    const orders = Array.from({ length: 12 }, (_, i) => `order-race-${i}`);

    // Act
    const results = await Promise.all(
      orders.map((orderId) => products.hold('prod-race', orderId, 1)),
    );

    // Assess
    expect(results.filter((result) => result.outcome === 'HELD')).toHaveLength(5);
    expect(results.filter((result) => result.outcome === 'INSUFFICIENT')).toHaveLength(7);
    expect((await products.get('prod-race'))?.stock).toBe(0);
  });

  it('takes stock once per order, gives it back once, and commits idempotently', async () => {
    // Prepare
    await products.create(product('prod-hold', { stock: 5 }));

    // Act / Assess: a redelivered OrderCreated takes nothing more.
    expect(await products.hold('prod-hold', 'order-1', 2)).toEqual({ outcome: 'HELD', stock: 3 });
    expect(await products.hold('prod-hold', 'order-1', 2)).toEqual({
      outcome: 'ALREADY_HELD',
      stock: 3,
    });
    expect(await products.hold('prod-hold', 'order-2', 1)).toEqual({ outcome: 'HELD', stock: 2 });
    expect(await products.hold('prod-missing', 'order-1', 1)).toEqual({
      outcome: 'UNKNOWN_PRODUCT',
    });

    // A cancelled order's stock comes back once; a confirmed one's stays taken.
    expect(await products.release('prod-hold', 'order-1')).toEqual({ quantity: 2, stock: 4 });
    expect(await products.release('prod-hold', 'order-1')).toBeUndefined();
    await products.commit('prod-hold', 'order-2');
    await products.commit('prod-hold', 'order-2');
    expect(await products.release('prod-hold', 'order-2')).toBeUndefined();
    expect(await products.get('prod-hold')).toEqual(product('prod-hold', { stock: 4 }));
  });

  it('creates a product id once', async () => {
    expect(await products.create(product('prod-once'))).toBe(true);
    expect(await products.create(product('prod-once', { name: 'Other' }))).toBe(false);
    expect((await products.get('prod-once'))?.name).toBe('Product prod-once');
  });

  it('writes at the version read and tells a writer that read an older one', async () => {
    // Prepare
    await products.create(product('prod-version', { version: 1, stock: 5 }));
    const details = {
      name: 'Renamed',
      price: { amount: 1200, currency: 'EUR' },
      priceHistory: [],
    };

    // Act
    const first = await products.updateDetails('prod-version', 1, details);
    const stale = await products.adjustStock('prod-version', 1, 3);

    // Assess
    expect(first).toMatchObject({ outcome: 'WRITTEN', product: { name: 'Renamed', version: 2 } });
    expect(stale).toEqual({ outcome: 'VERSION_MISMATCH', version: 2 });
    expect(await products.adjustStock('prod-gone', 1, 3)).toEqual({ outcome: 'NOT_FOUND' });
  });

  it('adjusts by a delta that keeps holds taken since the read, never below zero', async () => {
    // Prepare: the administrator read version 1 with 5 in stock; then an order took 2.
    await products.create(product('prod-adjust', { stock: 5 }));
    await products.hold('prod-adjust', 'order-meanwhile', 2);

    // Act
    const tooMuch = await products.adjustStock('prod-adjust', 1, -4);
    const restock = await products.adjustStock('prod-adjust', 1, 10);

    // Assess
    expect(tooMuch).toEqual({ outcome: 'INSUFFICIENT', stock: 3 });
    expect(restock).toMatchObject({ outcome: 'WRITTEN', product: { stock: 13, version: 2 } });
  });

  it('versions a seeded product (no version attribute) from 0', async () => {
    // Prepare: the seed writes items without `version`.
    const { version: _version, priceHistory: _history, ...seeded } = product('prod-seeded');
    await products.create(seeded as StoredProduct);

    // Act
    const stale = await products.adjustStock('prod-seeded', 1, 1);
    const first = await products.adjustStock('prod-seeded', 0, 1);
    const again = await products.adjustStock('prod-seeded', 0, 1);

    // Assess
    expect(stale).toEqual({ outcome: 'VERSION_MISMATCH', version: 0 });
    expect(first).toMatchObject({ outcome: 'WRITTEN', product: { stock: 6, version: 1 } });
    expect(again).toEqual({ outcome: 'VERSION_MISMATCH', version: 1 });
  });

  it('attaches a thumbnail to the product showing the image, through the sparse index', async () => {
    // Prepare
    await products.create(product('prod-image', { imageKey: 'uploads/int/image.png' }));
    const thumbnail = { key: 'thumbnails/int/image_thumb.png', width: 128, height: 64 };

    // Act
    const attachedTo = await products.attachThumbnail('uploads/int/image.png', thumbnail);
    const nobody = await products.attachThumbnail('uploads/int/nobody.png', thumbnail);

    // Assess
    expect(attachedTo).toBe('prod-image');
    expect(nobody).toBeUndefined();
    expect((await products.get('prod-image'))?.thumbnail).toEqual(thumbnail);
  });

  it('pages through the whole catalog with signed cursors, each product once', async () => {
    // Prepare
    const ids = ['a', 'b', 'c', 'd', 'e'].map((id) => `prod-page-${id}`);
    for (const id of ids) await products.create(product(id));

    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await products.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.products.map((p) => p.productId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);

    // Assess
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids));
    expect(pages).toBeGreaterThan(1);
    await expect(products.list({ limit: 3, cursor: 'forged' })).rejects.toBeInstanceOf(
      InventoryValidationError,
    );
  });
});

describe('Class: DynamoDbReservationDecisions (on DynamoDB)', () => {
  const lines = [{ productId: 'prod-1', quantity: 2 }];
  const reserved = (orderId: string): ReservationDecision => ({
    orderId,
    status: 'RESERVED',
    lines,
    changes: [{ productId: 'prod-1', delta: -2, stock: 3 }],
  });

  it('keeps the first decision of an order and answers it to a late one', async () => {
    // Prepare: OrderCancelled overtook OrderCreated.
    const cancelledFirst: ReservationDecision = { orderId: 'order-d1', status: 'CANCELLED_FIRST' };
    expect(await decisions.decide(cancelledFirst)).toEqual(cancelledFirst);

    // Act
    const late = await decisions.decide(reserved('order-d1'));

    // Assess
    expect(late).toEqual(cancelledFirst);
    expect(await decisions.get('order-d1')).toEqual(cancelledFirst);
  });

  it('moves a reservation on once: a second, different move gets the stored one', async () => {
    // Prepare
    await decisions.decide(reserved('order-d2'));
    const released = {
      orderId: 'order-d2',
      status: 'RELEASED' as const,
      lines,
      changes: [{ productId: 'prod-1', delta: 2, stock: 5 }],
    };

    // Act
    const first = await decisions.transition('order-d2', released);
    const second = await decisions.transition('order-d2', { ...released, status: 'COMMITTED' });

    // Assess
    expect(first).toEqual(released);
    expect(second).toEqual(released);
    expect(await decisions.get('order-d2')).toEqual(released);
  });
});
