import { buildEvent, deterministicEventId, type ShopEvent } from '@shop/contracts';
import { OrderVersionConflictError } from '../../src/errors';
import { publishPendingOrders } from '../../src/useCases/publishPendingOrders';
import { recordOutcome } from '../../src/useCases/recordOutcome';
import { fakeDependencies } from '../helpers/fakes';
import { eur, pendingOrder } from '../helpers/fixtures';

const orderId = 'order-1';
const options = { correlationId: 'corr-outcome' };
const reserved = () =>
  buildEvent('InventoryReserved', { orderId, lines: [{ productId: 'p', quantity: 1 }] }, options);
const paid = () =>
  buildEvent(
    'PaymentProcessed',
    { orderId, paymentId: 'pay_1', amount: eur(1000), customerEmail: 'ada@example.com' },
    options,
  );
const declined = () =>
  buildEvent(
    'PaymentFailed',
    { orderId, reason: 'DECLINED', detail: 'The card was declined.' },
    options,
  );
const outOfStock = () =>
  buildEvent(
    'InventoryReservationFailed',
    { orderId, failures: [{ productId: 'p', reason: 'OUT_OF_STOCK', requested: 3, available: 1 }] },
    options,
  );

const setup = () => fakeDependencies({ orders: [pendingOrder({ orderId, published: true })] });

describe('Function: recordOutcome', () => {
  it.each([
    ['inventory first', [reserved, paid]],
    ['payment first', [paid, reserved]],
  ])(
    'confirms the order once both succeeded (%s) and publishes OrderConfirmed',
    async (_, events) => {
      // Prepare
      const deps = setup();

      // Act
      for (const event of events) await recordOutcome(deps, event());

      // Assess
      const order = await deps.orders.get(orderId);
      expect(order).toMatchObject({ status: 'CONFIRMED', decisionPublished: true, version: 3 });
      expect(deps.events.published.map((e) => e.eventType)).toEqual(['OrderConfirmed']);
      expect(deps.events.published[0]?.eventId).toBe(
        deterministicEventId('OrderConfirmed', orderId),
      );
      expect(order?.timeline.map((t) => t.event)).toEqual(
        expect.arrayContaining([
          'OrderCreated',
          'InventoryReserved',
          'PaymentProcessed',
          'OrderConfirmed',
        ]),
      );
    },
  );

  it('cancels on the first failure with its reason code and a readable detail', async () => {
    const deps = setup();

    await recordOutcome(deps, outOfStock());
    await recordOutcome(deps, paid());

    const cancelled = deps.events.published.filter((e) => e.eventType === 'OrderCancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]?.data).toMatchObject({
      reason: 'INVENTORY_UNAVAILABLE',
      detail: 'p is out of stock (asked for 3, 1 left)',
      unavailableItemCount: 1,
    });
    expect(await deps.orders.get(orderId)).toMatchObject({
      status: 'CANCELLED',
      cancellationCode: 'INVENTORY_UNAVAILABLE',
      unavailableItemCount: 1,
    });
  });

  it('summarises the failures of a 50-line order within the limit of OrderCancelled', async () => {
    // Prepare: 50 unknown products with 64-character ids, about 4000 characters in full.
    const deps = setup();
    const failures = Array.from({ length: 50 }, (_, i) => ({
      productId: `prod-${String(i).padStart(2, '0')}-${'x'.repeat(56)}`,
      reason: 'UNKNOWN_PRODUCT' as const,
    }));

    // Act
    await recordOutcome(
      deps,
      buildEvent('InventoryReservationFailed', { orderId, failures }, options),
    );

    // Assess
    const [cancelled] = deps.events.published as ShopEvent<'OrderCancelled'>[];
    const detail = cancelled?.data.detail ?? '';
    expect(detail).toMatch(/^50 lines unavailable: prod-00-x+ is not in the catalog; prod-01-/);
    expect(detail).toMatch(/ is not in the catalog and \d+ more$/);
    expect(detail.length).toBeLessThanOrEqual(1000);
    expect((await deps.orders.get(orderId))?.cancellationReason).toBe(detail);
    // The summary may drop lines; the count never does.
    expect(cancelled?.data.unavailableItemCount).toBe(50);
  });

  it('leaves the order untouched when its decision could not be published', async () => {
    // Prepare: stored before the caller's email was checked against the contracts.
    const deps = fakeDependencies({
      orders: [pendingOrder({ orderId, published: true, customerEmail: 'not an address' })],
    });

    // Act
    const outcome = recordOutcome(deps, declined());

    // Assess: the delivery fails (retried, then dead-lettered); nothing half-done is stored.
    await expect(outcome).rejects.toThrow('invalid OrderCancelled');
    expect(await deps.orders.get(orderId)).toMatchObject({ status: 'PENDING', version: 1 });
    expect(deps.events.attempts).toEqual([]);
  });

  it('names the payment as the reason when the card is declined', async () => {
    const deps = setup();

    await recordOutcome(deps, reserved());
    await recordOutcome(deps, declined());

    expect(deps.events.published[0]?.data).toMatchObject({
      reason: 'PAYMENT_FAILED',
      detail: 'The card was declined.',
    });
    expect(deps.events.published[0]?.data).not.toHaveProperty('unavailableItemCount');
  });

  it('counts no unavailable items when inventory fails after the payment cancelled', async () => {
    const deps = setup();

    await recordOutcome(deps, declined());
    await recordOutcome(deps, outOfStock());

    const [cancelled, ...more] = deps.events.published;
    expect(more).toEqual([]);
    expect(cancelled?.data).toMatchObject({ reason: 'PAYMENT_FAILED' });
    expect(cancelled?.data).not.toHaveProperty('unavailableItemCount');
  });

  it('changes nothing and publishes nothing more when a report is delivered again', async () => {
    const deps = setup();
    await recordOutcome(deps, reserved());
    await recordOutcome(deps, paid());

    await recordOutcome(deps, paid());
    await recordOutcome(deps, reserved());

    expect(deps.events.published).toHaveLength(1);
    expect((await deps.orders.get(orderId))?.version).toBe(3);
  });

  it('says which report decided the order, once, so callers can count decisions', async () => {
    const deps = setup();

    const results = [
      await recordOutcome(deps, reserved()),
      await recordOutcome(deps, declined()),
      await recordOutcome(deps, declined()),
    ];

    expect(results.map((result) => result.decided)).toEqual([undefined, 'CANCELLED', undefined]);
    expect(results.map((result) => result.order.status)).toEqual([
      'PENDING',
      'CANCELLED',
      'CANCELLED',
    ]);
  });

  it('publishes a decision that was stored but not published when the report comes again', async () => {
    const deps = setup();
    await recordOutcome(deps, reserved());
    deps.events.failWith = new Error('bus down');
    await expect(recordOutcome(deps, paid())).rejects.toThrow('bus down');
    deps.events.failWith = undefined;

    await recordOutcome(deps, paid());

    expect(deps.events.published.map((e) => e.eventType)).toEqual(['OrderConfirmed']);
    expect(await deps.orders.get(orderId)).toMatchObject({
      status: 'CONFIRMED',
      decisionPublished: true,
    });
  });

  it('reads again and retries when another consumer saved the order in between', async () => {
    const deps = setup();
    const save = deps.orders.save.bind(deps.orders);
    let raced = false;
    deps.orders.save = async (order, expectedVersion) => {
      if (!raced) {
        raced = true;
        // The other consumer's report lands first (its save goes straight through).
        await recordOutcome(deps, reserved());
      }
      return save(order, expectedVersion);
    };

    await recordOutcome(deps, paid());

    expect(await deps.orders.get(orderId)).toMatchObject({ status: 'CONFIRMED' });
    expect(deps.events.published.map((e) => e.eventType)).toEqual(['OrderConfirmed']);
  });

  it('gives up with a conflict error after repeated conflicts, so the event is retried later', async () => {
    const deps = setup();
    deps.orders.save = async () => {
      throw new OrderVersionConflictError(orderId);
    };

    await expect(recordOutcome(deps, paid())).rejects.toBeInstanceOf(OrderVersionConflictError);
  });
});

describe('Function: publishPendingOrders (decisions)', () => {
  it('publishes the decision of a decided order whose decision never reached the bus', async () => {
    const deps = fakeDependencies({
      orders: [
        pendingOrder({
          orderId,
          published: true,
          status: 'CANCELLED',
          cancellationCode: 'PAYMENT_FAILED',
          cancellationReason: 'declined',
          decisionPublished: false,
          createdAt: '2024-05-01T09:00:00.000Z',
        }),
      ],
    });

    const result = await publishPendingOrders(deps, { graceSeconds: 30, limit: 10 });

    expect(result.published).toEqual([orderId]);
    expect(deps.events.published.map((e) => [e.eventType, e.data])).toEqual([
      ['OrderCancelled', expect.objectContaining({ reason: 'PAYMENT_FAILED', detail: 'declined' })],
    ]);
    expect(await deps.orders.get(orderId)).toMatchObject({ decisionPublished: true });
  });

  it('republishes the count of unavailable items that recordOutcome stored', async () => {
    // Prepare: cancelled for two lines, the bus down when the decision was due.
    const deps = fakeDependencies({
      orders: [pendingOrder({ orderId, published: true, createdAt: '2024-05-01T09:00:00.000Z' })],
    });
    const failures = [
      { productId: 'p', reason: 'UNKNOWN_PRODUCT' as const },
      { productId: 'q', reason: 'UNKNOWN_PRODUCT' as const },
    ];
    deps.events.failWith = new Error('bus down');
    await expect(
      recordOutcome(deps, buildEvent('InventoryReservationFailed', { orderId, failures }, options)),
    ).rejects.toThrow('bus down');
    deps.events.failWith = undefined;

    // Act
    const result = await publishPendingOrders(deps, { graceSeconds: 30, limit: 10 });

    // Assess
    expect(result.published).toEqual([orderId]);
    expect(deps.events.published.map((e) => [e.eventType, e.data])).toEqual([
      [
        'OrderCancelled',
        expect.objectContaining({ reason: 'INVENTORY_UNAVAILABLE', unavailableItemCount: 2 }),
      ],
    ]);
  });
});
