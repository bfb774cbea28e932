import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { pollUntil } from '@shop/local-cloud';
import { customer, eur, type Json, useLocalCloud } from './helpers';

// Money is never kept on a cancelled order, whatever order the saga's events arrive in. Each test
// holds one consumer back (its service stopped, as in a crash drill) so the others decide first,
// then lets it catch up, and checks the payment ends refunded exactly once or never charged.

jest.setTimeout(300_000);

const local = useLocalCloud('money-bus-tap');

async function control(service: string, action: 'stop' | 'start') {
  const response = await fetch(`${local.cloud.baseUrl}/_local/services/${service}/${action}`, {
    method: 'POST',
  });
  expect(response.status).toBe(200);
}

/** Runs `work` with `service` stopped, and always starts it again. */
async function without<T>(service: string, work: () => Promise<T>): Promise<T> {
  await control(service, 'stop');
  try {
    return await work();
  } finally {
    await control(service, 'start');
  }
}

/** Every payment-service event about an order, from the bus tap. */
async function paymentEventsOf(orderId: string): Promise<Json[]> {
  return (await local.bus.drain()).filter(
    (event: Json) => event.source === 'payment' && event.data?.orderId === orderId,
  );
}

/** Waits until the payment record of a cancelled order settles: refunded, failed or never made. */
async function finalPayment(orderId: string): Promise<Json> {
  return pollUntil(
    `the payment of cancelled order ${orderId} to be refunded or never made`,
    async () => {
      const payment = await local.shop.payment(orderId);
      return payment && payment.status !== 'PROCESSED' ? payment : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

/** More than the seeded stock of the limited blend (5): inventory refuses it. */
const outOfStock = (quantity: number) => [
  { productId: 'prod-limited-blend', quantity, unitPrice: eur(990) },
];

describe('Money on cancelled orders', () => {
  it('payment first, inventory later: the charge is refunded exactly once', async () => {
    // Prepare: inventory is down, so payment charges before anyone knows stock is short.
    const email = customer('pay-first');
    const order = await without('inventory', async () => {
      const placed = await local.shop.placeOrder(email, outOfStock(6));
      await pollUntil(
        'the charge',
        async () =>
          (await local.shop.payment(placed.orderId))?.status === 'PROCESSED' ? true : undefined,
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      return placed;
    });

    // Act: inventory comes back and refuses the order.
    const settled = await local.shop.settled(order.orderId, 60_000);
    const payment = await finalPayment(order.orderId);

    // Assess
    expect(settled.status).toBe('CANCELLED');
    expect(payment.status).toBe('REFUNDED');
    const refunds = await pollUntil(
      'one PaymentRefunded',
      async () => {
        const events = (await paymentEventsOf(order.orderId)).filter(
          (e) => e.eventType === 'PaymentRefunded',
        );
        return events.length > 0 ? events : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(new Set(refunds.map((e) => e.eventId)).size).toBe(1);
  });

  it('inventory first, payment later: the order is cancelled and the charge never kept', async () => {
    // Prepare: payment is down; inventory refuses and the order is cancelled before any charge.
    const email = customer('stock-first');
    const order = await without('payment', async () => {
      const placed = await local.shop.placeOrder(email, outOfStock(6));
      const decided = await local.shop.settled(placed.orderId, 60_000);
      expect(decided.status).toBe('CANCELLED');
      return placed;
    });

    // Act: payment catches up with OrderCreated and OrderCancelled, in whatever order.
    const payment = await finalPayment(order.orderId);

    // Assess: never charged, or charged and refunded, never kept.
    expect(['CANCELLED_FIRST', 'REFUNDED']).toContain(payment.status);
  });

  it('a cancellation that overtakes OrderCreated: nothing is charged, then or later', async () => {
    // Prepare: with payment down, an order is cancelled by inventory; payment's queue is then
    // emptied, so the test alone decides what payment sees, and in which order.
    const email = customer('overtaken');
    const { order, created, cancelled } = await without('payment', async () => {
      const placed = await local.shop.placeOrder(email, outOfStock(6));
      expect((await local.shop.settled(placed.orderId, 60_000)).status).toBe('CANCELLED');
      const events = await pollUntil(
        'OrderCreated and OrderCancelled on the bus',
        async () => {
          const mine = await local.bus.drain();
          const ofOrder = mine.filter((e: Json) => e.data?.orderId === placed.orderId);
          const createdEvent = ofOrder.find((e: Json) => e.eventType === 'OrderCreated');
          const cancelledEvent = ofOrder.find((e: Json) => e.eventType === 'OrderCancelled');
          return createdEvent && cancelledEvent
            ? { created: createdEvent, cancelled: cancelledEvent }
            : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      await local.shop.sqs.send(
        new PurgeQueueCommand({
          QueueUrl: await local.shop.queueUrl(`shop-payment-${local.cloud.stage}-events`),
        }),
      );
      return { order: placed, ...events };
    });

    // Act: the cancellation first, then the creation it overtook.
    await local.shop.republish(cancelled);
    await pollUntil(
      'payment to remember the cancellation',
      async () =>
        (await local.shop.payment(order.orderId))?.status === 'CANCELLED_FIRST' ? true : undefined,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    await local.shop.republish(created);
    await pollUntil(
      'payment to handle the late OrderCreated',
      async () =>
        local.shop
          .logsOf('payment')
          .some((line) => line.eventId === created.eventId && line.message === 'event handled')
          ? true
          : undefined,
      { timeoutMs: 30_000, intervalMs: 200 },
    );

    // Assess
    expect((await local.shop.payment(order.orderId))?.status).toBe('CANCELLED_FIRST');
    expect(
      (await paymentEventsOf(order.orderId)).filter((e) => e.eventType === 'PaymentProcessed'),
    ).toEqual([]);
  });

  it('an order cancelled with a reason past the contract limit is still published, refunded and emailed', async () => {
    // Prepare: 40 unknown products with the longest ids the API accepts: their failures alone
    // would make a reason of several thousand characters. Payment charges first.
    const email = customer('long-reason');
    const lines = Array.from({ length: 40 }, (_, i) => ({
      productId: `prod-${String(i).padStart(2, '0')}-${'x'.repeat(56)}`,
      quantity: 1,
      unitPrice: eur(100),
    }));
    const order = await without('inventory', async () => {
      const placed = await local.shop.placeOrder(email, lines);
      await pollUntil(
        'the charge',
        async () =>
          (await local.shop.payment(placed.orderId))?.status === 'PROCESSED' ? true : undefined,
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      return placed;
    });

    // Act
    const settled = await local.shop.settled(order.orderId, 60_000);
    const payment = await finalPayment(order.orderId);

    // Assess
    expect(settled.status).toBe('CANCELLED');
    expect(settled.cancellationReason.length).toBeLessThanOrEqual(1000);
    expect(payment.status).toBe('REFUNDED');
    const cancellation = await pollUntil(
      'the cancellation email',
      async () => {
        const mails = (await local.shop.emailsTo(email)).filter((m: Json) =>
          /cancel/i.test(m.subject),
        );
        return mails.length > 0 ? mails : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(cancellation).toHaveLength(1);
  });
});
