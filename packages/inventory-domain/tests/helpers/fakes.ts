import type { EventPublisher, ShopEvent } from '@shop/contracts';
import type {
  Clock,
  HoldResult,
  InventoryDependencies,
  ProductDetails,
  ProductStore,
  ReservationDecision,
  ReservationDecisions,
  StockAdjustmentResult,
  VersionedWriteResult,
} from '../../src/ports';
import type { Product, StoredProduct } from '../../src/product';

/** A product as a test writes it: version and price history may be left out, as in the seed. */
export type ProductFixture = Product & Partial<Pick<StoredProduct, 'version' | 'priceHistory'>>;

/** Lets other promises run, so concurrent use cases interleave like real I/O would. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** ProductStore over a Map, with the same conditional semantics as the DynamoDB adapter. */
export class InMemoryProductStore implements ProductStore {
  readonly products = new Map<string, StoredProduct & { holds: Record<string, number> }>();

  constructor(products: ProductFixture[] = []) {
    for (const product of products)
      this.products.set(product.productId, {
        version: 0,
        priceHistory: [],
        ...structuredClone(product),
        holds: {},
      });
  }

  async get(productId: string): Promise<StoredProduct | undefined> {
    await yieldToOthers();
    const product = this.products.get(productId);
    if (!product) return undefined;
    const { holds: _holds, ...rest } = structuredClone(product);
    return rest;
  }

  async list(page: { limit: number; cursor?: string }) {
    const all = [...this.products.keys()].sort();
    const start = page.cursor ? Number(page.cursor) : 0;
    const products = await Promise.all(
      all.slice(start, start + page.limit).map((id) => this.get(id)),
    );
    const next = start + page.limit;
    return {
      products: products as StoredProduct[],
      ...(next < all.length ? { nextCursor: String(next) } : {}),
    };
  }

  async hold(productId: string, orderId: string, quantity: number): Promise<HoldResult> {
    await yieldToOthers();
    const product = this.products.get(productId);
    if (!product) return { outcome: 'UNKNOWN_PRODUCT' };
    if (product.holds[orderId] !== undefined)
      return { outcome: 'ALREADY_HELD', stock: product.stock };
    if (product.stock < quantity) return { outcome: 'INSUFFICIENT', available: product.stock };
    product.stock -= quantity;
    product.holds[orderId] = quantity;
    return { outcome: 'HELD', stock: product.stock };
  }

  async release(productId: string, orderId: string) {
    await yieldToOthers();
    const product = this.products.get(productId);
    const quantity = product?.holds[orderId];
    if (!product || quantity === undefined) return undefined;
    product.stock += quantity;
    delete product.holds[orderId];
    return { quantity, stock: product.stock };
  }

  async commit(productId: string, orderId: string) {
    await yieldToOthers();
    const product = this.products.get(productId);
    if (product) delete product.holds[orderId];
  }

  async attachThumbnail(imageKey: string, thumbnail: NonNullable<Product['thumbnail']>) {
    const product = [...this.products.values()].find((p) => p.imageKey === imageKey);
    if (!product) return undefined;
    product.thumbnail = thumbnail;
    return product.productId;
  }

  async create(product: StoredProduct): Promise<boolean> {
    await yieldToOthers();
    if (this.products.has(product.productId)) return false;
    this.products.set(product.productId, { ...structuredClone(product), holds: {} });
    return true;
  }

  async updateDetails(
    productId: string,
    expectedVersion: number,
    details: ProductDetails,
  ): Promise<VersionedWriteResult> {
    await yieldToOthers();
    const product = this.products.get(productId);
    if (!product) return { outcome: 'NOT_FOUND' };
    if (product.version !== expectedVersion)
      return { outcome: 'VERSION_MISMATCH', version: product.version };
    Object.assign(product, structuredClone(details), { version: expectedVersion + 1 });
    return { outcome: 'WRITTEN', product: (await this.get(productId)) as StoredProduct };
  }

  async adjustStock(
    productId: string,
    expectedVersion: number,
    delta: number,
  ): Promise<StockAdjustmentResult> {
    await yieldToOthers();
    const product = this.products.get(productId);
    if (!product) return { outcome: 'NOT_FOUND' };
    if (product.version !== expectedVersion)
      return { outcome: 'VERSION_MISMATCH', version: product.version };
    if (product.stock + delta < 0) return { outcome: 'INSUFFICIENT', stock: product.stock };
    product.stock += delta;
    product.version = expectedVersion + 1;
    return { outcome: 'WRITTEN', product: (await this.get(productId)) as StoredProduct };
  }

  stockOf(productId: string): number {
    return this.products.get(productId)?.stock ?? Number.NaN;
  }

  holdsOf(productId: string): Record<string, number> {
    return { ...this.products.get(productId)?.holds };
  }
}

export class InMemoryDecisions implements ReservationDecisions {
  readonly decisions = new Map<string, ReservationDecision>();

  async get(orderId: string) {
    await yieldToOthers();
    return this.decisions.get(orderId);
  }

  async decide(decision: ReservationDecision) {
    await yieldToOthers();
    const existing = this.decisions.get(decision.orderId);
    if (existing) return existing;
    this.decisions.set(decision.orderId, decision);
    return decision;
  }

  async transition(
    orderId: string,
    to: Extract<ReservationDecision, { status: 'RELEASED' | 'COMMITTED' }>,
  ) {
    await yieldToOthers();
    const existing = this.decisions.get(orderId);
    if (existing?.status !== 'RESERVED') return existing ?? to;
    this.decisions.set(orderId, to);
    return to;
  }
}

export class RecordingPublisher implements EventPublisher {
  readonly published: ShopEvent[] = [];
  /** Makes every publish fail, to simulate the bus being unreachable. */
  failWith: Error | undefined;
  async publish(event: ShopEvent) {
    if (this.failWith) throw this.failWith;
    this.published.push(event);
  }
  types(): string[] {
    return this.published.map((e) => e.eventType);
  }
}

/** A clock that stands still until a test moves it. */
export class FakeClock implements Clock {
  constructor(private current = new Date('2026-11-27T10:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export function fakeInventory(products: ProductFixture[]) {
  const deps = {
    products: new InMemoryProductStore(products),
    decisions: new InMemoryDecisions(),
    events: new RecordingPublisher(),
    clock: new FakeClock(),
  } satisfies InventoryDependencies;
  return deps;
}
