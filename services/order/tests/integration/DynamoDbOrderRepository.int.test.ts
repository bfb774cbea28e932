import { join } from 'node:path';
import { createDocumentClient } from '@shop/aws-adapters';
import { type DynamoDbForTests, declaredTable, startDynamoDbForTests } from '@shop/local-cloud';
import { type Order, OrderValidationError, OrderVersionConflictError } from '@shop/order-domain';
import { DynamoDbOrderRepository } from '../../src/adapters/DynamoDbOrderRepository';

// The order repository against DynamoDB's behaviour (dynalite, in this process, on a free
// 127.0.0.1 port): its conditions, its indexes and their paging, which mocks only imitate.
// The table is the one serverless.yml declares (OrdersTable), read from it.

const TABLE = 'orders-int';
const CURSOR_KEY = 'test-page-cursor-key-0123456789abcdef';

let dynamoDb: DynamoDbForTests;
let repository: DynamoDbOrderRepository;

beforeAll(async () => {
  dynamoDb = await startDynamoDbForTests([
    declaredTable(join(__dirname, '..', '..'), 'OrdersTable', TABLE),
  ]);
  const client = dynamoDb.client;
  repository = new DynamoDbOrderRepository(createDocumentClient({ client }), TABLE, {
    cursorKey: CURSOR_KEY,
  });
});

afterAll(() => dynamoDb?.stop());

let sequence = 0;
/** A new PENDING order, not yet published, created `minute` minutes into the test day. */
function pendingOrder(customerId: string, minute: number, overrides: Partial<Order> = {}): Order {
  sequence += 1;
  const createdAt = new Date(Date.UTC(2026, 10, 27, 10, minute)).toISOString();
  return {
    orderId: `order-${sequence}`,
    customerId,
    customerEmail: `${customerId}@example.com`,
    lines: [{ productId: 'prod-1', quantity: 1, unitPrice: { amount: 250, currency: 'EUR' } }],
    total: { amount: 250, currency: 'EUR' },
    paymentToken: 'tok_sandbox_success',
    status: 'PENDING',
    outcomes: {},
    correlationId: `corr-${sequence}`,
    createdAt,
    updatedAt: createdAt,
    published: false,
    decisionPublished: false,
    version: 1,
    timeline: [{ at: createdAt, event: 'OrderCreated' }],
    ...overrides,
  };
}

describe('Class: DynamoDbOrderRepository (on DynamoDB)', () => {
  describe('Method: create', () => {
    it('stores a new order and leaves an existing one as it is (a retried create)', async () => {
      // Prepare
      const order = pendingOrder('cust-create', 0);
      await repository.create(order);

      // Act
      await repository.create({ ...order, customerEmail: 'someone-else@example.com' });

      // Assess
      expect(await repository.get(order.orderId)).toEqual(order);
    });
  });

  describe('Method: save', () => {
    it('writes at the version read and refuses a writer that read an older one', async () => {
      // Prepare: two consumers read version 1.
      const order = pendingOrder('cust-save', 0);
      await repository.create(order);
      const first = { ...order, status: 'CONFIRMED' as const, version: 2 };
      const second = { ...order, status: 'CANCELLED' as const, version: 2 };

      // Act
      await repository.save(first, 1);
      const late = repository.save(second, 1);

      // Assess
      await expect(late).rejects.toBeInstanceOf(OrderVersionConflictError);
      expect((await repository.get(order.orderId))?.status).toBe('CONFIRMED');
    });

    it('makes a consumer that read before a publish flag was set save again', async () => {
      // Prepare: a consumer reads the order, then the sweeper marks it published.
      const order = pendingOrder('cust-flag', 0);
      await repository.create(order);
      await repository.markPublished(order.orderId);

      // Act
      const stale = repository.save({ ...order, status: 'CONFIRMED', version: 2 }, 1);

      // Assess: the flag would have been written back as false.
      await expect(stale).rejects.toBeInstanceOf(OrderVersionConflictError);
      expect(await repository.get(order.orderId)).toMatchObject({ published: true, version: 2 });
    });
  });

  describe('Method: listByCustomer', () => {
    it("pages through one customer's orders, newest first, with signed cursors", async () => {
      // Prepare: five orders of one customer, one of another.
      const mine = [3, 1, 4, 0, 2].map((minute) => pendingOrder('cust-pages', minute));
      for (const order of [...mine, pendingOrder('cust-other', 5)]) await repository.create(order);

      // Act
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await repository.listByCustomer('cust-pages', {
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.orders.map((order) => order.createdAt.slice(14, 16)));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);

      // Assess
      expect(seen).toEqual(['04', '03', '02', '01', '00']);
      expect(pages).toBe(3);
    });

    it("refuses another customer's cursor without reading", async () => {
      // Prepare
      for (const minute of [0, 1]) await repository.create(pendingOrder('cust-cursor', minute));
      const { nextCursor } = await repository.listByCustomer('cust-cursor', { limit: 1 });

      // Act
      const borrowed = repository.listByCustomer('cust-thief', {
        limit: 1,
        ...(nextCursor ? { cursor: nextCursor } : {}),
      });

      // Assess
      expect(nextCursor).toEqual(expect.any(String));
      await expect(borrowed).rejects.toBeInstanceOf(OrderValidationError);
    });
  });

  describe('The outbox', () => {
    it('lists unpublished orders created before a time, and drops an order once all is out', async () => {
      // Prepare
      const old = pendingOrder('cust-outbox', 0, { orderId: 'outbox-old' });
      const recent = pendingOrder('cust-outbox', 30, { orderId: 'outbox-recent' });
      await repository.create(old);
      await repository.create(recent);
      const before = new Date(Date.UTC(2026, 10, 27, 10, 10)).toISOString();
      const listed = async () =>
        (await repository.listUnpublished(before, 100)).map((order) => order.orderId);

      // Act / Assess: published but undecided is out of the sweeper's way...
      expect(await listed()).toContain('outbox-old');
      expect(await listed()).not.toContain('outbox-recent');
      await repository.markPublished(old.orderId);
      expect(await listed()).not.toContain('outbox-old');

      // ...until it is decided and its decision is not on the bus yet.
      const published = await repository.get(old.orderId);
      if (!published) throw new Error('order vanished');
      await repository.save(
        { ...published, status: 'CONFIRMED', version: published.version + 1 },
        published.version,
      );
      expect(await listed()).toContain('outbox-old');
      await repository.markDecisionPublished(old.orderId);
      expect(await listed()).not.toContain('outbox-old');
    });

    it('counts failed publishes, parks the order out of the sweep and puts it back', async () => {
      // Prepare
      const order = pendingOrder('cust-park', 1, { orderId: 'park-me' });
      await repository.create(order);
      const before = new Date(Date.UTC(2026, 10, 28)).toISOString();
      const sweepable = async () =>
        (await repository.listUnpublished(before, 100)).some((o) => o.orderId === 'park-me');
      const parkedIds = async () => (await repository.listParked(100)).map((o) => o.orderId);

      // Act / Assess
      expect(await repository.recordPublishFailure('park-me')).toBe(1);
      expect(await repository.recordPublishFailure('park-me')).toBe(2);
      expect(await repository.park('park-me', { at: before, reason: 'denied', attempts: 2 })).toBe(
        true,
      );
      expect(await sweepable()).toBe(false);
      expect(await parkedIds()).toContain('park-me');
      // A parked order counts no more failures and cannot be parked twice.
      expect(await repository.recordPublishFailure('park-me')).toBeUndefined();
      expect(await repository.park('park-me', { at: before, reason: 'again', attempts: 3 })).toBe(
        false,
      );

      expect(await repository.unpark('park-me')).toBe(true);
      expect(await repository.unpark('park-me')).toBe(false);
      expect(await sweepable()).toBe(true);
      expect(await repository.get('park-me')).not.toHaveProperty('publishAttempts');
    });

    it('lists parked orders, at most as many as asked', async () => {
      // Prepare
      const ids = ['parked-a', 'parked-b', 'parked-c'];
      for (const [i, orderId] of ids.entries()) {
        await repository.create(pendingOrder('cust-parked', 40 + i, { orderId }));
        await repository.park(orderId, { at: 'x', reason: 'denied', attempts: 5 });
      }

      // Act
      const firstTwo = await repository.listParked(2);
      const all = await repository.listParked(100);

      // Assess
      expect(firstTwo).toHaveLength(2);
      expect(all.map((order) => order.orderId)).toEqual(expect.arrayContaining(ids));
    });
  });
});
