import { pollUntil } from '@shop/local-cloud';
import type { DecisionFeed } from './decisionFeed';

/** What the load run needs from a running system. */
export interface LoadTarget {
  baseUrl: string;
  mailViewerUrl: string;
  /** The payment record of an order, as payment stores it (status PROCESSED/FAILED/REFUNDED…). */
  payment(orderId: string): Promise<{ status: string } | undefined>;
  /** `Authorization` of a customer (signed in, created if new) by email; `admin` for the admin. */
  auth(email: string): Promise<Record<string, string>>;
  /**
   * Decisions as the bus publishes them (see decisionFeed.ts). Without it each client polls
   * GET /orders/{id} every 25 ms, which costs the system more than the orders themselves.
   */
  decisions?: DecisionFeed;
}

export interface LoadOptions {
  orders: number;
  concurrency: number;
  /** How long an order may take to be CONFIRMED or CANCELLED before it counts as lost. */
  settleTimeoutMs?: number;
}

interface PlacedOrder {
  orderId: string;
  email: string;
  lines: { productId: string; quantity: number }[];
  postedAt: number;
  settledAt?: number;
  status?: string;
}

export interface LoadReport {
  orders: number;
  concurrency: number;
  confirmed: number;
  cancelled: number;
  lost: number;
  ordersPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Broken invariants, in words; empty when the run was clean. */
  violations: string[];
}

const PRODUCTS = [
  { productId: 'prod-espresso-beans', unitPrice: { amount: 1450, currency: 'EUR' } },
  { productId: 'prod-milk-jug', unitPrice: { amount: 1299, currency: 'EUR' } },
  { productId: 'prod-moka-pot', unitPrice: { amount: 3999, currency: 'EUR' } },
];

/**
 * Places `orders` orders from `concurrency` concurrent clients through the base URL, waits for each
 * to be decided, then checks the invariants of the saga: every order terminal, stock conserved
 * (start − confirmed quantities = end), one processed payment per confirmed order and none kept
 * for cancelled ones, at most one email of each kind per order.
 */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadReport> {
  const stockBefore = await stockLevels(target);
  const run = Date.now().toString(36);
  const placed: PlacedOrder[] = [];
  let next = 0;
  // Every customer signs in before the clock starts: the run measures orders, not sign-ins.
  const emails = Array.from(
    { length: options.orders },
    (_, index) => `load-${run}-${index}@example.com`,
  );
  const auth = new Map<string, Record<string, string>>();
  for (const email of emails) auth.set(email, await target.auth(email));
  const started = Date.now();

  const client = async () => {
    while (next < options.orders) {
      const index = next++;
      const product = PRODUCTS[index % PRODUCTS.length] as (typeof PRODUCTS)[number];
      // One in five is declined, so the compensations run under load too.
      const token = index % 5 === 4 ? 'tok_sandbox_declined' : 'tok_sandbox_success';
      const email = emails[index] as string;
      const postedAt = Date.now();
      const response = await fetch(`${target.baseUrl}/orders`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Correlation-Id': `load-${run}-${index}`,
          ...auth.get(email),
        },
        body: JSON.stringify({
          paymentToken: token,
          lines: [{ ...product, quantity: 1 }],
        }),
      });
      if (response.status !== 201)
        throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
      const { orderId } = (await response.json()) as { orderId: string };
      const order: PlacedOrder = {
        orderId,
        email,
        lines: [{ productId: product.productId, quantity: 1 }],
        postedAt,
      };
      placed.push(order);
      await settle(target, order, auth.get(email) ?? {}, options.settleTimeoutMs ?? 60_000);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const finished = Date.now();

  const violations = await checkInvariants(target, placed, stockBefore);
  const latencies = placed
    .filter((o) => o.settledAt !== undefined)
    .map((o) => (o.settledAt as number) - o.postedAt)
    .sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ??
    Number.NaN;
  return {
    orders: placed.length,
    concurrency: options.concurrency,
    confirmed: placed.filter((o) => o.status === 'CONFIRMED').length,
    cancelled: placed.filter((o) => o.status === 'CANCELLED').length,
    lost: placed.filter((o) => o.settledAt === undefined).length,
    ordersPerSecond: placed.length / ((finished - started) / 1000),
    latencyMs: {
      p50: percentile(50),
      p95: percentile(95),
      p99: percentile(99),
      max: latencies.at(-1) ?? Number.NaN,
    },
    violations,
  };
}

/**
 * Waits for the decision on the order: from the bus when the target has a decision feed, else by
 * polling the order as its customer. Leaves `settledAt` unset when none comes in time.
 */
async function settle(
  target: LoadTarget,
  order: PlacedOrder,
  auth: Record<string, string>,
  timeoutMs: number,
) {
  if (target.decisions) {
    const decision = await target.decisions.next(order.orderId, timeoutMs);
    order.settledAt = decision?.receivedAt;
    order.status = decision?.status ?? 'PENDING';
    return;
  }
  try {
    const view = await pollUntil(
      `order ${order.orderId}`,
      async () => {
        const response = await fetch(`${target.baseUrl}/orders/${order.orderId}`, {
          headers: auth,
        });
        // A throttled poll (429) is a client polling too fast, not a decision: poll again.
        if (response.status === 429) return undefined;
        const body = (await response.json()) as { status: string };
        return body.status === 'PENDING' ? undefined : body;
      },
      { timeoutMs, intervalMs: 25 },
    );
    order.settledAt = Date.now();
    order.status = view.status;
  } catch {
    order.status = 'PENDING';
  }
}

async function stockLevels(target: LoadTarget): Promise<Map<string, number>> {
  const levels = new Map<string, number>();
  for (const { productId } of PRODUCTS) {
    const product = (await (await fetch(`${target.baseUrl}/products/${productId}`)).json()) as {
      stock: number;
    };
    levels.set(productId, product.stock);
  }
  return levels;
}

async function checkInvariants(
  target: LoadTarget,
  placed: PlacedOrder[],
  stockBefore: Map<string, number>,
) {
  const violations: string[] = [];
  for (const order of placed.filter((o) => o.status === 'PENDING'))
    violations.push(`order ${order.orderId} never settled`);

  // Compensations (stock back, refunds, emails) finish after the decision: give them time.
  const expectedStock = new Map(stockBefore);
  for (const order of placed.filter((o) => o.status === 'CONFIRMED')) {
    for (const line of order.lines)
      expectedStock.set(line.productId, (expectedStock.get(line.productId) ?? 0) - line.quantity);
  }
  try {
    await pollUntil(
      'stock to settle',
      async () => {
        const now = await stockLevels(target);
        return [...expectedStock].every(([id, stock]) => now.get(id) === stock) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  } catch {
    const now = await stockLevels(target);
    for (const [id, stock] of expectedStock) {
      if (now.get(id) !== stock)
        violations.push(`${id}: stock ${now.get(id)}, expected ${stock} (start − confirmed)`);
    }
  }

  for (const order of placed.filter((o) => o.status !== 'PENDING')) {
    // What the bus announced is what the customer reads.
    const response = await fetch(`${target.baseUrl}/orders/${order.orderId}`, {
      headers: await target.auth(order.email),
    });
    const { status } = (await response.json()) as { status?: string };
    if (status !== order.status)
      violations.push(
        `order ${order.orderId} reads ${status ?? response.status}, announced ${order.status}`,
      );
  }

  for (const order of placed) {
    const payment = await target.payment(order.orderId);
    if (order.status === 'CONFIRMED' && payment?.status !== 'PROCESSED') {
      violations.push(`confirmed order ${order.orderId} has payment ${payment?.status ?? 'none'}`);
    }
    if (order.status === 'CANCELLED' && payment?.status === 'PROCESSED') {
      violations.push(`cancelled order ${order.orderId} kept its payment`);
    }
  }

  const store = (await (await fetch(`${target.mailViewerUrl}/store`)).json()) as {
    emails: { destination: { to: string[] }; subject: string }[];
  };
  for (const order of placed) {
    const subjects = store.emails
      .filter((e) => e.destination.to.includes(order.email))
      .map((e) => e.subject);
    const kinds = subjects.map((s) =>
      /receipt/i.test(s) ? 'receipt' : /confirm/i.test(s) ? 'confirmation' : 'cancellation',
    );
    for (const kind of new Set(kinds)) {
      if (kinds.filter((k) => k === kind).length > 1)
        violations.push(`order ${order.orderId} got more than one ${kind}`);
    }
  }
  return violations;
}

/** The report as a small table for people. */
export function formatLoadReport(report: LoadReport): string {
  const { p50, p95, p99, max } = report.latencyMs;
  return [
    `orders ${report.orders}  concurrency ${report.concurrency}  confirmed ${report.confirmed}  cancelled ${report.cancelled}  lost ${report.lost}`,
    `throughput ${report.ordersPerSecond.toFixed(1)} orders/s`,
    `POST → CONFIRMED/CANCELLED  p50 ${p50} ms  p95 ${p95} ms  p99 ${p99} ms  max ${max} ms`,
    report.violations.length === 0
      ? 'invariants: all hold'
      : `invariants broken:\n  ${report.violations.join('\n  ')}`,
  ].join('\n');
}
