import { deterministicEventId } from '@shop/contracts';
import { placeOrder } from '../../src/useCases/placeOrder';
import { publishPendingOrders } from '../../src/useCases/publishPendingOrders';
import { fakeDependencies } from '../helpers/fakes';
import { customerCaller, pendingOrder, placeOrderBody } from '../helpers/fixtures';

const NOW = new Date('2024-05-01T10:10:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

describe('Function: publishPendingOrders', () => {
  it('asks the repository for unpublished orders created before now minus the grace period', async () => {
    const deps = fakeDependencies({ now: NOW });

    await publishPendingOrders(deps, { graceSeconds: 120, limit: 25 });

    expect(deps.orders.listUnpublishedCalls).toEqual([
      { createdBefore: '2024-05-01T10:08:00.000Z', limit: 25 },
    ]);
  });

  it('republishes only unpublished orders older than the grace period', async () => {
    // Prepare
    const deps = fakeDependencies({
      now: NOW,
      orders: [
        pendingOrder({ orderId: 'old-unpublished', createdAt: minutesAgo(10) }),
        pendingOrder({ orderId: 'old-published', createdAt: minutesAgo(10), published: true }),
        pendingOrder({ orderId: 'recent-unpublished', createdAt: minutesAgo(1) }),
      ],
    });

    // Act
    const result = await publishPendingOrders(deps, { graceSeconds: 300, limit: 10 });

    // Assess
    expect(result).toEqual({ published: ['old-unpublished'], failed: [], parked: [] });
    expect(deps.events.published.map((e) => e.data)).toEqual([
      expect.objectContaining({ orderId: 'old-unpublished' }),
    ]);
    expect((await deps.orders.get('old-unpublished'))?.published).toBe(true);
    expect((await deps.orders.get('recent-unpublished'))?.published).toBe(false);
  });

  it('republishes with the same eventId, correlation id and time as the first attempt', async () => {
    // Prepare: the first publish fails while placing the order.
    const placedAt = new Date('2024-05-01T10:00:00.000Z');
    const deps = fakeDependencies({ now: placedAt });
    deps.events.failWith = new Error('SNS unreachable');
    await placeOrder(deps, {
      body: placeOrderBody(),
      caller: customerCaller(),
      correlationId: 'corr-first',
    });
    const [firstAttempt] = deps.events.attempts;
    deps.events.failWith = undefined;
    deps.clock.current = NOW;

    // Act
    const result = await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });

    // Assess
    expect(result.published).toEqual(['order-1']);
    expect(deps.events.published).toEqual([firstAttempt]);
    expect(deps.events.published[0]).toMatchObject({
      eventId: deterministicEventId('OrderCreated', 'order-1'),
      correlationId: 'corr-first',
      occurredAt: placedAt.toISOString(),
    });
  });

  it('reports failures and keeps going, leaving failed orders unpublished', async () => {
    // Prepare
    const deps = fakeDependencies({
      now: NOW,
      orders: [
        pendingOrder({ orderId: 'order-a', createdAt: minutesAgo(9) }),
        pendingOrder({ orderId: 'order-b', createdAt: minutesAgo(8) }),
        pendingOrder({ orderId: 'order-c', createdAt: minutesAgo(7) }),
      ],
    });
    deps.events.failForOrderIds.add('order-b');

    // Act
    const result = await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });

    // Assess
    expect(result.published).toEqual(['order-a', 'order-c']);
    expect(result.failed).toEqual([
      { orderId: 'order-b', error: new Error('bus unreachable for order-b'), attempts: 1 },
    ]);
    expect((await deps.orders.get('order-b'))?.published).toBe(false);
    expect((await deps.orders.get('order-c'))?.published).toBe(true);
  });

  it('reports an order as failed when marking it published fails', async () => {
    const deps = fakeDependencies({
      now: NOW,
      orders: [pendingOrder({ orderId: 'order-a', createdAt: minutesAgo(9) })],
    });
    deps.orders.failMarkPublishedFor.add('order-a');

    const result = await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });

    expect(result.published).toEqual([]);
    expect(result.failed.map((f) => f.orderId)).toEqual(['order-a']);
    expect((await deps.orders.get('order-a'))?.published).toBe(false);
  });

  it('publishes nothing when nothing is pending', async () => {
    const deps = fakeDependencies({ now: NOW });

    const result = await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });

    expect(result).toEqual({ published: [], failed: [], parked: [] });
    expect(deps.events.attempts).toEqual([]);
  });

  it('a second sweep after a successful one publishes nothing', async () => {
    const deps = fakeDependencies({
      now: NOW,
      orders: [pendingOrder({ orderId: 'order-a', createdAt: minutesAgo(9) })],
    });

    await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });
    const second = await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });

    expect(second).toEqual({ published: [], failed: [], parked: [] });
    expect(deps.events.attempts).toHaveLength(1);
  });
});

describe('Function: publishPendingOrders (orders that keep failing)', () => {
  const sweep = (deps: ReturnType<typeof fakeDependencies>) =>
    publishPendingOrders(deps, { graceSeconds: 60, limit: 2, maxAttempts: 3 });

  it('counts each failed sweep on the order and parks it at the last attempt, with the error', async () => {
    // Prepare
    const deps = fakeDependencies({
      now: NOW,
      orders: [pendingOrder({ orderId: 'order-bad', createdAt: minutesAgo(9) })],
    });
    deps.events.failForOrderIds.add('order-bad');

    // Act
    const sweeps = [await sweep(deps), await sweep(deps), await sweep(deps)];

    // Assess
    expect(sweeps.map((s) => s.failed.map((f) => f.attempts))).toEqual([[1], [2], []]);
    expect(sweeps[2]?.parked).toEqual([
      {
        orderId: 'order-bad',
        at: NOW.toISOString(),
        reason: 'Error: bus unreachable for order-bad',
        attempts: 3,
      },
    ]);
    expect(await deps.orders.get('order-bad')).toMatchObject({
      published: false,
      parked: { reason: 'Error: bus unreachable for order-bad', attempts: 3 },
    });
    // Parked: the next sweeps no longer try it.
    expect(await sweep(deps)).toEqual({ published: [], failed: [], parked: [] });
    expect(deps.events.attempts).toHaveLength(3);
  });

  it('publishes the orders behind a batch full of failing ones once those are parked', async () => {
    // Prepare: the batch holds 2 orders; the 2 oldest can never be published.
    const deps = fakeDependencies({
      now: NOW,
      orders: [
        pendingOrder({ orderId: 'bad-1', createdAt: minutesAgo(9) }),
        pendingOrder({ orderId: 'bad-2', createdAt: minutesAgo(8) }),
        pendingOrder({ orderId: 'stuck-behind', createdAt: minutesAgo(7) }),
      ],
    });
    deps.events.failForOrderIds.add('bad-1').add('bad-2');

    // Act
    const sweeps = [];
    for (let i = 0; i < 4; i++) sweeps.push(await sweep(deps));

    // Assess
    expect(sweeps.map((s) => s.published)).toEqual([[], [], [], ['stuck-behind']]);
    expect(sweeps[2]?.parked.map((p) => p.orderId)).toEqual(['bad-1', 'bad-2']);
    expect((await deps.orders.get('stuck-behind'))?.published).toBe(true);
  });

  it('parks a decided order whose decision keeps failing, its OrderCreated already out', async () => {
    // Prepare
    const deps = fakeDependencies({
      now: NOW,
      orders: [
        pendingOrder({
          orderId: 'order-d',
          createdAt: minutesAgo(9),
          published: true,
          status: 'CANCELLED',
          cancellationCode: 'PAYMENT_FAILED',
          cancellationReason: 'declined',
        }),
      ],
    });
    deps.events.failForOrderIds.add('order-d');

    // Act
    for (let i = 0; i < 3; i++) await sweep(deps);

    // Assess
    expect(await deps.orders.get('order-d')).toMatchObject({
      decisionPublished: false,
      parked: { attempts: 3 },
    });
  });

  it('forgets the failed attempts once the order is published', async () => {
    // Prepare: two failed sweeps, then the bus comes back.
    const deps = fakeDependencies({
      now: NOW,
      orders: [pendingOrder({ orderId: 'order-a', createdAt: minutesAgo(9) })],
    });
    deps.events.failForOrderIds.add('order-a');
    await sweep(deps);
    await sweep(deps);
    deps.events.failForOrderIds.clear();

    // Act
    const result = await sweep(deps);

    // Assess
    expect(result.published).toEqual(['order-a']);
    const stored = await deps.orders.get('order-a');
    expect(stored).not.toHaveProperty('publishAttempts');
    expect(stored).not.toHaveProperty('parked');
  });

  it('keeps going, leaving the order pending, when even counting the failure fails', async () => {
    // Prepare
    const deps = fakeDependencies({
      now: NOW,
      orders: [
        pendingOrder({ orderId: 'order-a', createdAt: minutesAgo(9) }),
        pendingOrder({ orderId: 'order-b', createdAt: minutesAgo(8) }),
      ],
    });
    deps.events.failForOrderIds.add('order-a');
    deps.orders.failRecordPublishFailureFor.add('order-a');

    // Act
    const result = await sweep(deps);

    // Assess
    expect(result.failed).toEqual([
      { orderId: 'order-a', error: new Error('bus unreachable for order-a'), attempts: undefined },
    ]);
    expect(result.published).toEqual(['order-b']);
  });
});
