import { lineTotal, type Money, sumMoney } from '@shop/contracts';
import { boundedCancellationReason } from './cancellationReason';
import { OrderStateError } from './errors';
import type {
  CancellationCode,
  OrderStatus,
  OrderView,
  PlaceOrderRequest,
  TimelineEntry,
} from './schemas';

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPrice: Money;
}

/** What inventory and payment have reported so far; the order decides once it has heard enough. */
export interface OrderOutcomes {
  inventory?: { ok: true } | { ok: false; detail: string };
  payment?: { ok: true; paymentId: string } | { ok: false; detail: string };
}

/** The order aggregate as stored. */
export interface Order {
  orderId: string;
  customerId: string;
  customerEmail: string;
  lines: OrderLine[];
  total: Money;
  /** Kept so OrderCreated can be published again by the sweeper; never returned by the API. */
  paymentToken: string;
  status: OrderStatus;
  /** Why the order was cancelled, for people. */
  cancellationReason?: string;
  /** Which side failed: the reason code of OrderCancelled. */
  cancellationCode?: CancellationCode;
  /**
   * How many lines inventory could not reserve, when that is why the order was cancelled; kept so
   * every (re)publish of OrderCancelled carries it. Absent on orders cancelled before it existed.
   */
  unavailableItemCount?: number;
  outcomes: OrderOutcomes;
  correlationId: string;
  createdAt: string;
  updatedAt: string;
  /** False until OrderCreated is known to be on the bus. */
  published: boolean;
  /** False until the OrderConfirmed/OrderCancelled of a decided order is known to be on the bus. */
  decisionPublished: boolean;
  /** Bumped by every write, for optimistic concurrency between consumers. */
  version: number;
  timeline: TimelineEntry[];
  /**
   * Sweeps in a row that failed to publish the order's pending event; cleared once everything is
   * on the bus or a person retries a parked order.
   */
  publishAttempts?: number;
  /** Set when the sweeper gave up publishing the order; `pnpm parked --retry` puts it back. */
  parked?: ParkedPublication;
}

/** Why and since when the sweeper stopped trying to publish an order. */
export interface ParkedPublication {
  /** UTC ISO 8601. */
  at: string;
  /** The last publish error, for the person who fixes it. */
  reason: string;
  /** Failed sweeps before it was parked. */
  attempts: number;
}

/** Sum of quantity × unit price, in cents. */
export function orderTotal(lines: readonly OrderLine[]): Money {
  const currency = lines[0]?.unitPrice.currency;
  if (!currency) throw new RangeError('an order has at least one line');
  return sumMoney(lines.map(lineTotal), currency);
}

export function newOrder(
  request: PlaceOrderRequest,
  ids: { orderId: string; correlationId: string; customerId: string; customerEmail: string },
  now: Date,
): Order {
  const at = now.toISOString();
  return {
    orderId: ids.orderId,
    customerId: ids.customerId,
    customerEmail: ids.customerEmail,
    lines: request.lines.map(({ productId, quantity, unitPrice }) => ({
      productId,
      quantity,
      unitPrice,
    })),
    total: orderTotal(request.lines),
    paymentToken: request.paymentToken,
    status: 'PENDING',
    outcomes: {},
    correlationId: ids.correlationId,
    createdAt: at,
    updatedAt: at,
    published: false,
    decisionPublished: false,
    version: 1,
    timeline: [{ at, event: 'OrderCreated' }],
  };
}

export type OrderOutcomeReport =
  | { kind: 'inventory'; ok: true }
  | { kind: 'inventory'; ok: false; detail: string; unavailableItemCount: number }
  | { kind: 'payment'; ok: true; paymentId: string }
  | { kind: 'payment'; ok: false; detail: string };

export interface OutcomeApplied {
  order: Order;
  /** The status this report moved the order to, if it decided it. */
  decided?: 'CONFIRMED' | 'CANCELLED';
}

/**
 * Records what inventory or payment reported and decides the order when it can:
 * CONFIRMED once both succeeded, CANCELLED as soon as either failed. Reports may arrive in any
 * order and more than once; a repeated report changes nothing.
 *
 * @throws OrderStateError when a report contradicts an earlier one.
 */
export function applyOutcome(
  order: Order,
  report: OrderOutcomeReport,
  now: Date,
  event: string,
): OutcomeApplied {
  const previous = order.outcomes[report.kind];
  if (previous) {
    if (previous.ok !== report.ok) {
      throw new OrderStateError(
        `${report.kind} already reported ${previous.ok ? 'success' : 'failure'} for ${order.orderId}`,
      );
    }
    return { order };
  }
  const at = now.toISOString();
  const outcomes: OrderOutcomes = { ...order.outcomes };
  if (report.kind === 'inventory') {
    outcomes.inventory = report.ok ? { ok: true } : { ok: false, detail: report.detail };
  } else {
    outcomes.payment = report.ok
      ? { ok: true, paymentId: report.paymentId }
      : { ok: false, detail: report.detail };
  }
  const timeline = [
    ...order.timeline,
    { at, event, ...(report.ok ? {} : { detail: report.detail }) },
  ];
  const next: Order = { ...order, outcomes, timeline, updatedAt: at };
  if (order.status !== 'PENDING') return { order: next };

  if (!report.ok) {
    // OrderCancelled carries the reason, and an event over its limits could never be published.
    const reason = boundedCancellationReason(report.detail);
    return {
      order: {
        ...next,
        status: 'CANCELLED',
        cancellationReason: reason,
        ...(report.kind === 'inventory'
          ? {
              cancellationCode: 'INVENTORY_UNAVAILABLE',
              unavailableItemCount: report.unavailableItemCount,
            }
          : { cancellationCode: 'PAYMENT_FAILED' }),
        timeline: [...timeline, { at, event: 'OrderCancelled', detail: reason }],
      },
      decided: 'CANCELLED',
    };
  }
  if (outcomes.inventory?.ok && outcomes.payment?.ok) {
    return {
      order: {
        ...next,
        status: 'CONFIRMED',
        timeline: [...timeline, { at, event: 'OrderConfirmed' }],
      },
      decided: 'CONFIRMED',
    };
  }
  return { order: next };
}

/** The public view of an order: everything but internal bookkeeping and the payment token. */
export function toOrderView(order: Order): OrderView {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    customerEmail: order.customerEmail,
    lines: order.lines,
    total: order.total,
    status: order.status,
    ...(order.cancellationReason ? { cancellationReason: order.cancellationReason } : {}),
    ...(order.cancellationCode ? { cancellationCode: order.cancellationCode } : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    timeline: order.timeline,
  };
}
