import { listParkedOrders, retryParkedOrders } from '../../src/useCases/parkedOrders';
import { publishPendingOrders } from '../../src/useCases/publishPendingOrders';
import { fakeDependencies } from '../helpers/fakes';
import { pendingOrder } from '../helpers/fixtures';

const NOW = new Date('2024-05-01T10:10:00.000Z');
const parkedAt = '2024-05-01T10:05:00.000Z';
const parked = (reason: string) => ({ at: parkedAt, reason, attempts: 5 });

/** A store with two parked orders (one never announced, one whose cancellation was not) and one that is fine. */
const setup = () =>
  fakeDependencies({
    now: NOW,
    orders: [
      pendingOrder({
        orderId: 'order-late',
        createdAt: '2024-05-01T10:01:00.000Z',
        published: true,
        status: 'CANCELLED',
        cancellationCode: 'INVENTORY_UNAVAILABLE',
        cancellationReason: 'p is not in the catalog',
        publishAttempts: 5,
        parked: parked('ContractsValidationError: invalid OrderCancelled v1'),
      }),
      pendingOrder({
        orderId: 'order-early',
        createdAt: '2024-05-01T10:00:00.000Z',
        publishAttempts: 5,
        parked: parked('Error: SNS unavailable'),
      }),
      pendingOrder({ orderId: 'order-fine', published: true }),
    ],
  });

describe('Function: listParkedOrders', () => {
  it('lists parked orders oldest first, with the event they lack and why', async () => {
    const deps = setup();

    const listed = await listParkedOrders(deps, { limit: 10 });

    expect(listed).toEqual([
      {
        orderId: 'order-early',
        status: 'PENDING',
        createdAt: '2024-05-01T10:00:00.000Z',
        pendingEvent: 'OrderCreated',
        parked: parked('Error: SNS unavailable'),
      },
      {
        orderId: 'order-late',
        status: 'CANCELLED',
        createdAt: '2024-05-01T10:01:00.000Z',
        pendingEvent: 'OrderCancelled',
        parked: parked('ContractsValidationError: invalid OrderCancelled v1'),
      },
    ]);
  });

  it('lists at most the limit', async () => {
    const listed = await listParkedOrders(setup(), { limit: 1 });

    expect(listed.map((order) => order.orderId)).toEqual(['order-early']);
  });
});

describe('Function: retryParkedOrders', () => {
  it('gives parked orders back to the sweeper, which publishes them on its next run', async () => {
    // Prepare
    const deps = setup();

    // Act
    const result = await retryParkedOrders(deps, ['order-early', 'order-late']);
    const sweep = await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });

    // Assess
    expect(result).toEqual({ retried: ['order-early', 'order-late'], notParked: [] });
    expect(sweep.published).toEqual(['order-early', 'order-late']);
    expect(deps.events.published.map((e) => e.eventType)).toEqual([
      'OrderCreated',
      'OrderCancelled',
    ]);
    expect(await listParkedOrders(deps, { limit: 10 })).toEqual([]);
  });

  it('resets the attempts, so an order that still fails gets the full count again', async () => {
    // Prepare
    const deps = setup();
    deps.events.failForOrderIds.add('order-early');

    // Act
    await retryParkedOrders(deps, ['order-early']);
    const sweep = await publishPendingOrders(deps, { graceSeconds: 60, limit: 10 });

    // Assess
    expect(sweep.failed).toEqual([
      expect.objectContaining({ orderId: 'order-early', attempts: 1 }),
    ]);
    expect(await deps.orders.get('order-early')).not.toHaveProperty('parked');
  });

  it('leaves alone orders that are not parked, and says which', async () => {
    const deps = setup();

    const result = await retryParkedOrders(deps, ['order-fine', 'no-such-order', 'order-early']);

    expect(result).toEqual({
      retried: ['order-early'],
      notParked: ['order-fine', 'no-such-order'],
    });
    expect(await deps.orders.get('order-fine')).toMatchObject({ version: 1 });
  });
});
