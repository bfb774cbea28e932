import type { EventPublisher, ShopEvent } from '@shop/contracts';
import { OrderValidationError, OrderVersionConflictError } from '../../src/errors';
import type { Order, ParkedPublication } from '../../src/order';
import type {
  Clock,
  OrderDependencies,
  OrderPageRequest,
  OrderRepository,
  StoredOrderPage,
} from '../../src/ports';

/**
 * OrderRepository over a Map, behaving as the port promises: the first create of an orderId wins,
 * pages are newest first, and `listUnpublished` returns unpublished orders created before a time.
 * Every stored order is a copy, so a test sees only what was written through the port.
 */
export class InMemoryOrderRepository implements OrderRepository {
  readonly #orders = new Map<string, Order>();
  readonly listByCustomerCalls: { customerId: string; page: OrderPageRequest }[] = [];
  readonly listUnpublishedCalls: { createdBefore: string; limit: number }[] = [];
  /** Order ids whose markPublished fails, to simulate a DynamoDB error. */
  readonly failMarkPublishedFor = new Set<string>();
  /** Order ids whose recordPublishFailure fails, to simulate a DynamoDB error. */
  readonly failRecordPublishFailureFor = new Set<string>();

  constructor(orders: Order[] = []) {
    for (const order of orders) this.#orders.set(order.orderId, structuredClone(order));
  }

  async create(order: Order): Promise<void> {
    if (!this.#orders.has(order.orderId)) this.#orders.set(order.orderId, structuredClone(order));
  }

  async get(orderId: string): Promise<Order | undefined> {
    const order = this.#orders.get(orderId);
    return order ? structuredClone(order) : undefined;
  }

  /** Cursors are `<customerId>@<offset>`: bound to the customer, as the port promises. */
  async listByCustomer(customerId: string, page: OrderPageRequest): Promise<StoredOrderPage> {
    this.listByCustomerCalls.push({ customerId, page });
    const mine = [...this.#orders.values()]
      .filter((order) => order.customerId === customerId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const start = page.cursor ? this.#offsetOf(page.cursor, customerId) : 0;
    const orders = mine.slice(start, start + page.limit).map((order) => structuredClone(order));
    const next = start + page.limit;
    return { orders, ...(next < mine.length ? { nextCursor: `${customerId}@${next}` } : {}) };
  }

  #offsetOf(cursor: string, customerId: string): number {
    const match = /^(.+)@(\d+)$/.exec(cursor);
    if (match?.[1] !== customerId) {
      throw new OrderValidationError([
        { path: 'cursor', message: 'is not a cursor of this listing' },
      ]);
    }
    return Number(match[2]);
  }

  async markPublished(orderId: string): Promise<void> {
    if (this.failMarkPublishedFor.has(orderId)) throw new Error(`markPublished ${orderId} failed`);
    const order = this.#orders.get(orderId);
    if (order) this.#orders.set(orderId, outOfTheOutboxIfDone({ ...order, published: true }));
  }

  async save(order: Order, expectedVersion: number): Promise<void> {
    const stored = this.#orders.get(order.orderId);
    if (!stored || stored.version !== expectedVersion)
      throw new OrderVersionConflictError(order.orderId);
    this.#orders.set(order.orderId, structuredClone(order));
  }

  async markDecisionPublished(orderId: string): Promise<void> {
    const order = this.#orders.get(orderId);
    if (order)
      this.#orders.set(orderId, outOfTheOutboxIfDone({ ...order, decisionPublished: true }));
  }

  async listUnpublished(createdBefore: string, limit: number): Promise<Order[]> {
    this.listUnpublishedCalls.push({ createdBefore, limit });
    return [...this.#orders.values()]
      .filter((order) => waitsForSweeper(order) && order.createdAt < createdBefore)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .slice(0, limit)
      .map((order) => structuredClone(order));
  }

  async recordPublishFailure(orderId: string): Promise<number | undefined> {
    if (this.failRecordPublishFailureFor.has(orderId))
      throw new Error(`recordPublishFailure ${orderId} failed`);
    const order = this.#orders.get(orderId);
    if (!order || !waitsForSweeper(order)) return undefined;
    const publishAttempts = (order.publishAttempts ?? 0) + 1;
    this.#orders.set(orderId, { ...order, publishAttempts, version: order.version + 1 });
    return publishAttempts;
  }

  async park(orderId: string, parked: ParkedPublication): Promise<boolean> {
    const order = this.#orders.get(orderId);
    if (!order || !waitsForSweeper(order)) return false;
    this.#orders.set(orderId, { ...order, parked: { ...parked }, version: order.version + 1 });
    return true;
  }

  async listParked(limit: number): Promise<Order[]> {
    return [...this.#orders.values()]
      .filter((order) => order.parked)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .slice(0, limit)
      .map((order) => structuredClone(order));
  }

  async unpark(orderId: string): Promise<boolean> {
    const order = this.#orders.get(orderId);
    if (!order?.parked) return false;
    const { parked: _parked, publishAttempts: _attempts, ...rest } = order;
    this.#orders.set(orderId, { ...rest, version: order.version + 1 });
    return true;
  }

  /** Every stored order, for assertions. */
  all(): Order[] {
    return [...this.#orders.values()].map((order) => structuredClone(order));
  }
}

/** Whether the order has an event that may not be on the bus yet. */
const hasUnpublishedEvents = (order: Order) =>
  !order.published || (order.status !== 'PENDING' && !order.decisionPublished);

/** What the sweeper still tries to publish: unpublished and not parked. */
const waitsForSweeper = (order: Order) => hasUnpublishedEvents(order) && !order.parked;

/** Once everything is on the bus, the publishing bookkeeping goes, as in the DynamoDB adapter. */
function outOfTheOutboxIfDone(order: Order): Order {
  if (hasUnpublishedEvents(order)) return order;
  const { parked: _parked, publishAttempts: _attempts, ...done } = order;
  return done;
}

/** EventPublisher that records what it published; can be told to fail, always or per order. */
export class InMemoryEventPublisher implements EventPublisher {
  readonly published: ShopEvent[] = [];
  /** Every publish attempt, including failed ones. */
  readonly attempts: ShopEvent[] = [];
  failWith: Error | undefined;
  readonly failForOrderIds = new Set<string>();

  async publish(event: ShopEvent): Promise<void> {
    this.attempts.push(event);
    if (this.failWith) throw this.failWith;
    const orderId = (event.data as { orderId?: string }).orderId;
    if (orderId && this.failForOrderIds.has(orderId)) {
      throw new Error(`bus unreachable for ${orderId}`);
    }
    this.published.push(structuredClone(event));
  }
}

export class FixedClock implements Clock {
  constructor(public current: Date) {}

  now(): Date {
    return new Date(this.current);
  }
}

/** Returns `order-1`, `order-2`, … */
export function sequentialIds(prefix = 'order'): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}

export interface FakeDependencies extends OrderDependencies {
  orders: InMemoryOrderRepository;
  events: InMemoryEventPublisher;
  clock: FixedClock;
}

export function fakeDependencies(
  options: { now?: Date; orders?: Order[]; newOrderId?: () => string } = {},
): FakeDependencies {
  return {
    orders: new InMemoryOrderRepository(options.orders),
    events: new InMemoryEventPublisher(),
    clock: new FixedClock(options.now ?? new Date('2024-05-01T10:00:00.000Z')),
    newOrderId: options.newOrderId ?? sequentialIds(),
  };
}
