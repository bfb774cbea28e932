import type { EventPublisher, ShopEvent } from '@shop/contracts';
import type {
  HoldResult,
  InventoryDependencies,
  ProductStore,
  ReservationDecision,
  ReservationDecisions,
} from '../../src/ports';
import type { Product } from '../../src/product';

/** Lets other promises run, so concurrent use cases interleave like real I/O would. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** ProductStore over a Map, with the same conditional semantics as the DynamoDB adapter. */
export class InMemoryProductStore implements ProductStore {
  readonly products = new Map<string, Product & { holds: Record<string, number> }>();

  constructor(products: Product[] = []) {
    for (const product of products)
      this.products.set(product.productId, { ...structuredClone(product), holds: {} });
  }

  async get(productId: string): Promise<Product | undefined> {
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
      products: products as Product[],
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
  async publish(event: ShopEvent) {
    this.published.push(event);
  }
  types(): string[] {
    return this.published.map((e) => e.eventType);
  }
}

export function fakeInventory(products: Product[]) {
  const deps = {
    products: new InMemoryProductStore(products),
    decisions: new InMemoryDecisions(),
    events: new RecordingPublisher(),
  } satisfies InventoryDependencies;
  return deps;
}
