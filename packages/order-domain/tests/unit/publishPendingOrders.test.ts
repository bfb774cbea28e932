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
    expect(result).toEqual({ published: ['old-unpublished'], failed: [] });
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
      { orderId: 'order-b', error: new Error('bus unreachable for order-b') },
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

    expect(result).toEqual({ published: [], failed: [] });
    expect(deps.events.attempts).toEqual([]);
  });

  it('a second sweep after a successful one publishes nothing', async () => {
    const deps = fakeDependencies({
      now: NOW,
      orders: [pendingOrder({ orderId: 'order-a', createdAt: minutesAgo(9) })],
    });

    await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });
    const second = await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });

    expect(second).toEqual({ published: [], failed: [] });
    expect(deps.events.attempts).toHaveLength(1);
  });
});
