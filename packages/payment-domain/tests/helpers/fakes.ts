import { buildEvent, type EventPublisher, type ShopEvent } from '@shop/contracts';
import { TransientPaymentError } from '../../src/errors';
import type { ChargeResult, PaymentGateway, PaymentRecord, PaymentRecords } from '../../src/ports';

/** A gateway that answers as told and counts the money it moved, honouring idempotency keys. */
export class ScriptedGateway implements PaymentGateway {
  readonly charges = new Map<string, ChargeResult>();
  readonly refunds = new Map<string, string>();
  next: ChargeResult | 'transient' = { status: 'SUCCEEDED', paymentId: 'pay_1' };

  async charge(request: { idempotencyKey: string }): Promise<ChargeResult> {
    const seen = this.charges.get(request.idempotencyKey);
    if (seen) return seen;
    if (this.next === 'transient') throw new TransientPaymentError('gateway timeout');
    this.charges.set(request.idempotencyKey, this.next);
    return this.next;
  }

  async refund(request: { idempotencyKey: string }) {
    const refundId = this.refunds.get(request.idempotencyKey) ?? `re_${this.refunds.size + 1}`;
    this.refunds.set(request.idempotencyKey, refundId);
    return { refundId };
  }
}

export class InMemoryPaymentRecords implements PaymentRecords {
  readonly records = new Map<string, PaymentRecord>();
  async get(orderId: string) {
    return this.records.get(orderId);
  }
  async create(record: PaymentRecord) {
    const existing = this.records.get(record.orderId);
    if (existing) return existing;
    this.records.set(record.orderId, record);
    return record;
  }
  async transition(from: PaymentRecord['status'], to: PaymentRecord) {
    const existing = this.records.get(to.orderId);
    if (existing?.status !== from) return existing ?? to;
    this.records.set(to.orderId, to);
    return to;
  }
}

export class RecordingPublisher implements EventPublisher {
  readonly published: ShopEvent[] = [];
  async publish(event: ShopEvent) {
    this.published.push(event);
  }
  types() {
    return this.published.map((e) => e.eventType);
  }
}

export function fakePayment() {
  return {
    gateway: new ScriptedGateway(),
    payments: new InMemoryPaymentRecords(),
    events: new RecordingPublisher(),
  };
}

export const orderCreated = (orderId = 'o1') =>
  buildEvent(
    'OrderCreated',
    {
      orderId,
      customerId: 'c1',
      customerEmail: 'ada@example.com',
      lines: [{ productId: 'p', quantity: 2, unitPrice: { amount: 500, currency: 'EUR' } }],
      total: { amount: 1000, currency: 'EUR' },
      paymentToken: 'tok_sandbox_success',
    },
    { correlationId: `corr-${orderId}` },
  );

export const orderCancelled = (created: ShopEvent<'OrderCreated'>) => {
  const { paymentToken: _token, ...data } = created.data;
  return buildEvent(
    'OrderCancelled',
    { ...data, reason: 'INVENTORY_UNAVAILABLE', detail: 'out of stock' },
    {
      correlationId: created.correlationId,
    },
  );
};
