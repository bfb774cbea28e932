import type { ShopEvent } from '@shop/contracts';
import { TransientPaymentError } from '../../src/errors';
import { chargeOrder } from '../../src/useCases/chargeOrder';
import { refundOrder } from '../../src/useCases/refundOrder';
import { fakePayment, orderCancelled, orderCreated } from '../helpers/fakes';

describe('Function: chargeOrder', () => {
  it('charges the order total once and publishes PaymentProcessed with the customer email', async () => {
    // Prepare
    const deps = fakePayment();

    // Act
    const record = await chargeOrder(deps, orderCreated(), 1);

    // Assess
    expect(record).toMatchObject({
      status: 'PROCESSED',
      paymentId: 'pay_1',
      amount: { amount: 1000, currency: 'EUR' },
    });
    expect(deps.gateway.charges.size).toBe(1);
    expect(deps.events.published[0]).toMatchObject({
      eventType: 'PaymentProcessed',
      correlationId: 'corr-o1',
      data: { orderId: 'o1', paymentId: 'pay_1', customerEmail: 'ada@example.com' },
    });
  });

  it("cuts a provider's long decline message to what PaymentFailed carries, in the record too", async () => {
    // Prepare: a provider message of 3000 characters, emoji at the cut.
    const deps = fakePayment();
    const detail = `${'Your card was declined. '.repeat(41)}😀${'x'.repeat(2000)}`;
    deps.gateway.next = { status: 'DECLINED', reason: 'DECLINED', detail };

    // Act
    const record = await chargeOrder(deps, orderCreated(), 1);

    // Assess
    const published = deps.events.published[0] as ShopEvent<'PaymentFailed'>;
    expect(published.data.detail).toHaveLength(1000);
    expect(published.data.detail).toMatch(/^Your card was declined\. .*…$/);
    expect(record).toMatchObject({ status: 'FAILED', detail: published.data.detail });
  });

  it('republishes a decline stored with a message longer than PaymentFailed carries', async () => {
    // Prepare: recorded before messages were cut.
    const deps = fakePayment();
    await deps.payments.create({
      orderId: 'o1',
      status: 'FAILED',
      reason: 'DECLINED',
      detail: 'd'.repeat(5000),
    });

    // Act
    await chargeOrder(deps, orderCreated(), 2);

    // Assess
    expect(deps.events.types()).toEqual(['PaymentFailed']);
    expect((deps.events.published[0] as ShopEvent<'PaymentFailed'>).data.detail).toHaveLength(1000);
  });

  it('publishes PaymentFailed with the reason when the card is declined', async () => {
    const deps = fakePayment();
    deps.gateway.next = {
      status: 'DECLINED',
      reason: 'DECLINED',
      detail: 'The card was declined.',
    };

    await chargeOrder(deps, orderCreated(), 1);

    expect(deps.events.published.map((e) => [e.eventType, e.data])).toEqual([
      ['PaymentFailed', { orderId: 'o1', reason: 'DECLINED', detail: 'The card was declined.' }],
    ]);
  });

  it('lets a transient gateway error through and records nothing, so the retry charges', async () => {
    const deps = fakePayment();
    deps.gateway.next = 'transient';

    await expect(chargeOrder(deps, orderCreated(), 1)).rejects.toBeInstanceOf(
      TransientPaymentError,
    );
    deps.gateway.next = { status: 'SUCCEEDED', paymentId: 'pay_2' };
    const record = await chargeOrder(deps, orderCreated(), 2);

    expect(record.status).toBe('PROCESSED');
    expect(deps.events.types()).toEqual(['PaymentProcessed']);
  });

  it('charges once and republishes the same event when OrderCreated is delivered twice', async () => {
    const deps = fakePayment();
    const event = orderCreated();

    await chargeOrder(deps, event, 1);
    await chargeOrder(deps, event, 1);

    expect(deps.gateway.charges.size).toBe(1);
    expect(deps.events.published[0]?.eventId).toBe(deps.events.published[1]?.eventId);
  });

  it('tells the gateway the order and one idempotency key per operation', async () => {
    // Prepare
    const deps = fakePayment();
    const created = orderCreated('o7');
    const requests: object[] = [];
    const charge = deps.gateway.charge.bind(deps.gateway);
    const refund = deps.gateway.refund.bind(deps.gateway);
    deps.gateway.charge = async (request) => {
      requests.push(request);
      return charge(request);
    };
    deps.gateway.refund = async (request) => {
      requests.push(request);
      return refund(request);
    };

    // Act
    await chargeOrder(deps, created, 3);
    await refundOrder(deps, orderCancelled(created));

    // Assess
    expect(requests).toEqual([
      {
        idempotencyKey: 'charge-o7',
        orderId: 'o7',
        amount: { amount: 1000, currency: 'EUR' },
        token: 'tok_sandbox_success',
        attempt: 3,
      },
      {
        idempotencyKey: 'refund-o7',
        orderId: 'o7',
        paymentId: 'pay_1',
        amount: { amount: 1000, currency: 'EUR' },
      },
    ]);
  });

  it('does not charge an order whose cancellation arrived first', async () => {
    const deps = fakePayment();
    const created = orderCreated();

    await refundOrder(deps, orderCancelled(created));
    await chargeOrder(deps, created, 1);

    expect(deps.gateway.charges.size).toBe(0);
    expect(deps.events.published).toEqual([]);
  });
});

describe('Function: refundOrder', () => {
  it('refunds a processed payment once and publishes PaymentRefunded', async () => {
    const deps = fakePayment();
    const created = orderCreated();
    await chargeOrder(deps, created, 1);

    await refundOrder(deps, orderCancelled(created));
    await refundOrder(deps, orderCancelled(created));

    expect(deps.gateway.refunds.size).toBe(1);
    expect(deps.payments.records.get('o1')).toMatchObject({ status: 'REFUNDED', charged: true });
    const refunds = deps.events.published.filter((e) => e.eventType === 'PaymentRefunded');
    expect(refunds).toHaveLength(2);
    expect(refunds[0]?.eventId).toBe(refunds[1]?.eventId);
  });

  it('moves no money for an order whose payment failed', async () => {
    const deps = fakePayment();
    deps.gateway.next = { status: 'DECLINED', reason: 'DECLINED', detail: 'no' };
    const created = orderCreated();
    await chargeOrder(deps, created, 1);

    await refundOrder(deps, orderCancelled(created));

    expect(deps.gateway.refunds.size).toBe(0);
    expect(deps.events.types()).toEqual(['PaymentFailed']);
  });

  it('refunds at once a charge that lost the race to a cancellation, reporting only the refund', async () => {
    const deps = fakePayment();
    const created = orderCreated();
    // The cancellation is recorded while the charge is in flight.
    const charge = deps.gateway.charge.bind(deps.gateway);
    deps.gateway.charge = async (request) => {
      await refundOrder(deps, orderCancelled(created));
      return charge(request);
    };

    const record = await chargeOrder(deps, created, 1);

    expect(record).toMatchObject({ status: 'REFUNDED', charged: false });
    expect(deps.gateway.refunds.size).toBe(1);
    expect(deps.events.types()).toEqual(['PaymentRefunded']);
  });
});
