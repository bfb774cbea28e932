import type { EventData, EventPublisher } from '@shop/contracts';
import type { Product, StoredProduct } from './product';

export type ReservationFailure = EventData<'InventoryReservationFailed'>['failures'][number];
export type StockChange = EventData<'InventoryUpdated'>['changes'][number];
export type StockLine = { productId: string; quantity: number };

/** What taking stock for one line of an order did. */
export type HoldResult =
  | { outcome: 'HELD'; stock: number }
  /** The order already held this line (a redelivery): nothing changed. */
  | { outcome: 'ALREADY_HELD'; stock: number }
  | { outcome: 'INSUFFICIENT'; available: number }
  | { outcome: 'UNKNOWN_PRODUCT' };

/** What an administrator's write, conditional on the version read, did. */
export type VersionedWriteResult =
  | { outcome: 'WRITTEN'; product: StoredProduct }
  | { outcome: 'NOT_FOUND' }
  /** Someone else wrote first: nothing was changed. */
  | { outcome: 'VERSION_MISMATCH'; version: number };

/** What a stock adjustment did; as a versioned write, or refused to go below zero. */
export type StockAdjustmentResult =
  | VersionedWriteResult
  | { outcome: 'INSUFFICIENT'; stock: number };

/** The fields of a product an administrator edits (not its id, stock or image). */
export type ProductDetails = Pick<StoredProduct, 'name' | 'description' | 'price' | 'priceHistory'>;

/**
 * Port: the catalog and its stock. Each product records, beside its stock, the quantity each order
 * holds, so taking and giving back stock are single conditional writes and safe to repeat.
 */
export interface ProductStore {
  get(productId: string): Promise<StoredProduct | undefined>;
  list(page: {
    limit: number;
    cursor?: string;
  }): Promise<{ products: StoredProduct[]; nextCursor?: string }>;
  /** Takes `quantity` for `orderId` if the stock allows it and the order holds none yet. */
  hold(productId: string, orderId: string, quantity: number): Promise<HoldResult>;
  /** Gives back what `orderId` holds; undefined when it holds nothing. */
  release(
    productId: string,
    orderId: string,
  ): Promise<{ quantity: number; stock: number } | undefined>;
  /** Forgets the hold of a confirmed order: the stock stays taken. */
  commit(productId: string, orderId: string): Promise<void>;
  /** Stores the thumbnail of the product whose image is `imageKey`; undefined when none is. */
  attachThumbnail(
    imageKey: string,
    thumbnail: NonNullable<Product['thumbnail']>,
  ): Promise<string | undefined>;
  /** Stores a new product unless its id is taken. @returns false when it is. */
  create(product: StoredProduct): Promise<boolean>;
  /**
   * Replaces the details of a product at `expectedVersion` and bumps its version; stock and holds
   * are left alone. A product without a stored version is at version 0.
   */
  updateDetails(
    productId: string,
    expectedVersion: number,
    details: ProductDetails,
  ): Promise<VersionedWriteResult>;
  /**
   * Adds `delta` (either sign) to the stock of a product at `expectedVersion` and bumps its
   * version, unless the stock would go below zero. Applied to the stock as stored at that moment,
   * so units that reservations took or gave back meanwhile are kept.
   */
  adjustStock(
    productId: string,
    expectedVersion: number,
    delta: number,
  ): Promise<StockAdjustmentResult>;
}

/**
 * What inventory decided for an order. Written once (the first writer wins), so a redelivered
 * OrderCreated republishes the same outcome instead of deciding again.
 */
export type ReservationDecision =
  | { orderId: string; status: 'RESERVED'; lines: StockLine[]; changes: StockChange[] }
  | { orderId: string; status: 'FAILED'; failures: ReservationFailure[] }
  | { orderId: string; status: 'RELEASED'; lines: StockLine[]; changes: StockChange[] }
  | { orderId: string; status: 'COMMITTED'; lines: StockLine[]; changes: StockChange[] }
  /** Cancelled before inventory saw OrderCreated: a late OrderCreated must not take stock. */
  | { orderId: string; status: 'CANCELLED_FIRST' };

export interface ReservationDecisions {
  get(orderId: string): Promise<ReservationDecision | undefined>;
  /** Stores the decision unless one exists; returns the one that is stored. */
  decide(decision: ReservationDecision): Promise<ReservationDecision>;
  /** Moves a RESERVED decision on; returns the stored decision (unchanged if it had moved already). */
  transition(
    orderId: string,
    to: Extract<ReservationDecision, { status: 'RELEASED' | 'COMMITTED' }>,
  ): Promise<ReservationDecision>;
}

/** Port: the time, so tests can fix it. */
export interface Clock {
  now(): Date;
}

export interface InventoryDependencies {
  products: ProductStore;
  decisions: ReservationDecisions;
  events: EventPublisher;
  clock: Clock;
}
