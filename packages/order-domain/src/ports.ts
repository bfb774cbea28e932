import type { EventPublisher } from '@shop/contracts';
import type { Order, ParkedPublication } from './order';

export interface OrderPageRequest {
  limit: number;
  /** Opaque cursor from a previous page of the same customer's orders, as the repository issued it. */
  cursor?: string;
}

export interface StoredOrderPage {
  orders: Order[];
  nextCursor?: string;
}

/** Port: where orders live. Implemented over DynamoDB in the order service. */
export interface OrderRepository {
  /** Stores a new order; storing the same orderId twice is a no-op (the first write wins). */
  create(order: Order): Promise<void>;
  get(orderId: string): Promise<Order | undefined>;
  /**
   * Newest first. Each `nextCursor` is bound to `customerId` and cannot be forged or altered.
   * @throws OrderValidationError naming `cursor` for a cursor it did not issue for this customer.
   */
  listByCustomer(customerId: string, page: OrderPageRequest): Promise<StoredOrderPage>;
  /** Records that OrderCreated is on the bus, so the sweeper leaves the order alone. */
  markPublished(orderId: string): Promise<void>;
  /**
   * Replaces the order if it is still at `expectedVersion` (the stored version becomes
   * `order.version`). @throws OrderVersionConflictError when another writer got there first.
   */
  save(order: Order, expectedVersion: number): Promise<void>;
  /** Records that the order's OrderConfirmed/OrderCancelled is on the bus. */
  markDecisionPublished(orderId: string): Promise<void>;
  /**
   * Orders with an event that may not be on the bus yet (OrderCreated, or the decision), created
   * before `createdBefore`.
   */
  listUnpublished(createdBefore: string, limit: number): Promise<Order[]>;
  /**
   * Counts one more failed attempt to publish an order's pending event, atomically, and returns
   * the count; undefined when the order no longer waits for the sweeper (published or parked
   * meanwhile), so nothing was counted.
   */
  recordPublishFailure(orderId: string): Promise<number | undefined>;
  /**
   * Takes an order the sweeper keeps failing to publish out of its reach (`listUnpublished` no
   * longer returns it) and records why. @returns false when the order no longer waited.
   */
  park(orderId: string, parked: ParkedPublication): Promise<boolean>;
  /** Parked orders, oldest first, at most `limit`. */
  listParked(limit: number): Promise<Order[]>;
  /**
   * Gives a parked order back to the sweeper with its attempts reset, after a person fixed the
   * cause. @returns false when the order was not parked.
   */
  unpark(orderId: string): Promise<boolean>;
}

/** Who asks, as the order domain needs to know it: taken from a verified token at the edge. */
export interface OrderCaller {
  /** The customer id (the token's `sub`). */
  customerId: string;
  /** The token's email, only when verified: orders are confirmed to it. */
  verifiedEmail?: string;
  /** Administrators may read and list every customer's orders. */
  isAdmin: boolean;
}

export interface Clock {
  now(): Date;
}

export interface OrderDependencies {
  orders: OrderRepository;
  events: EventPublisher;
  clock: Clock;
  newOrderId: () => string;
}
