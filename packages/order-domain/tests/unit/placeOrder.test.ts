import { deterministicEventId, parseEvent } from '@shop/contracts';
import { OrderAccessError } from '../../src/errors';
import { placeOrder } from '../../src/useCases/placeOrder';
import { fakeDependencies } from '../helpers/fakes';
import { customerCaller, eur, placeOrderBody } from '../helpers/fixtures';

const NOW = new Date('2024-05-01T10:00:00.000Z');

describe('Function: placeOrder', () => {
  it('stores the order as PENDING and unpublished before publishing', async () => {
    // Prepare
    const deps = fakeDependencies({ now: NOW });
    const storedWhenPublishing: unknown[] = [];
    const publish = deps.events.publish.bind(deps.events);
    deps.events.publish = async (event) => {
      storedWhenPublishing.push(await deps.orders.get('order-1'));
      return publish(event);
    };

    // Act
    await placeOrder(deps, {
      body: placeOrderBody(),
      caller: customerCaller(),
      correlationId: 'corr-1',
    });

    // Assess
    expect(storedWhenPublishing).toEqual([
      expect.objectContaining({ orderId: 'order-1', status: 'PENDING', published: false }),
    ]);
  });

  it('publishes OrderCreated with the correlation id and a deterministic eventId', async () => {
    // Prepare
    const deps = fakeDependencies({ now: NOW });

    // Act
    await placeOrder(deps, {
      body: placeOrderBody(),
      caller: customerCaller(),
      correlationId: 'corr-abc',
    });

    // Assess
    expect(deps.events.published).toHaveLength(1);
    const [event] = deps.events.published;
    expect(event).toEqual({
      eventId: deterministicEventId('OrderCreated', 'order-1'),
      eventType: 'OrderCreated',
      version: 1,
      occurredAt: NOW.toISOString(),
      correlationId: 'corr-abc',
      source: 'order',
      data: {
        orderId: 'order-1',
        customerId: 'cust-42',
        customerEmail: 'ada@example.com',
        lines: placeOrderBody().lines,
        total: eur(2 * 1450 + 3999),
        paymentToken: 'tok_sandbox_success',
      },
    });
    // Consumers will accept what was published.
    expect(parseEvent(JSON.stringify(event), { accept: ['OrderCreated'] })).toEqual(event);
  });

  it('marks the order published and returns it', async () => {
    // Prepare
    const deps = fakeDependencies({ now: NOW });

    // Act
    const result = await placeOrder(deps, {
      body: placeOrderBody(),
      caller: customerCaller(),
      correlationId: 'corr-1',
    });

    // Assess
    expect(result.published).toBe(true);
    expect(result.publishError).toBeUndefined();
    expect(result.order).toMatchObject({
      orderId: 'order-1',
      status: 'PENDING',
      published: true,
      correlationId: 'corr-1',
      total: eur(6899),
      createdAt: NOW.toISOString(),
    });
    expect(await deps.orders.get('order-1')).toEqual(result.order);
  });

  it('gives each order the id of newOrderId', async () => {
    const deps = fakeDependencies();

    const first = await placeOrder(deps, {
      body: placeOrderBody(),
      caller: customerCaller(),
      correlationId: 'c',
    });
    const second = await placeOrder(deps, {
      body: placeOrderBody(),
      caller: customerCaller(),
      correlationId: 'c',
    });

    expect([first.order.orderId, second.order.orderId]).toEqual(['order-1', 'order-2']);
    expect(deps.events.published.map((e) => e.eventId)).toEqual([
      deterministicEventId('OrderCreated', 'order-1'),
      deterministicEventId('OrderCreated', 'order-2'),
    ]);
  });

  it('returns published false and keeps the order unpublished when the bus fails', async () => {
    // Prepare
    const deps = fakeDependencies({ now: NOW });
    const busError = new Error('SNS unreachable');
    deps.events.failWith = busError;

    // Act
    const result = await placeOrder(deps, {
      body: placeOrderBody(),
      caller: customerCaller(),
      correlationId: 'corr-1',
    });

    // Assess
    expect(result.published).toBe(false);
    expect(result.publishError).toBe(busError);
    expect(result.order).toMatchObject({ orderId: 'order-1', published: false });
    expect(await deps.orders.get('order-1')).toMatchObject({
      status: 'PENDING',
      published: false,
    });
    expect(deps.events.attempts).toHaveLength(1);
  });

  it('succeeds when only recording the publish fails, leaving a harmless republish to the sweeper', async () => {
    // Prepare
    const deps = fakeDependencies({ now: NOW });
    deps.orders.failMarkPublishedFor.add('order-1');

    // Act
    const result = await placeOrder(deps, {
      body: placeOrderBody(),
      caller: customerCaller(),
      correlationId: 'corr-1',
    });

    // Assess
    expect(result.published).toBe(true);
    expect(result.publishError).toBeInstanceOf(Error);
    expect(deps.events.published).toHaveLength(1);
    expect(await deps.orders.listUnpublished('9999-01-01T00:00:00.000Z', 10)).toHaveLength(1);
  });

  it('does not store or publish anything for an invalid request', async () => {
    const deps = fakeDependencies();

    await expect(
      placeOrder(deps, {
        body: { ...placeOrderBody(), lines: [] },
        caller: customerCaller(),
        correlationId: 'c',
      }),
    ).rejects.toThrow('invalid order request');

    expect(deps.orders.all()).toEqual([]);
    expect(deps.events.attempts).toEqual([]);
  });

  it('propagates a failure to store the order without publishing', async () => {
    const deps = fakeDependencies();
    deps.orders.create = async () => {
      throw new Error('DynamoDB throttled');
    };

    await expect(
      placeOrder(deps, { body: placeOrderBody(), caller: customerCaller(), correlationId: 'c' }),
    ).rejects.toThrow('DynamoDB throttled');
    expect(deps.events.attempts).toEqual([]);
  });

  describe('the customer is the caller', () => {
    it("stores and publishes the caller's id and verified email as the customer", async () => {
      // Prepare
      const deps = fakeDependencies({ now: NOW });
      const caller = customerCaller({ customerId: 'cust-7', verifiedEmail: 'grace@example.com' });

      // Act
      const result = await placeOrder(deps, {
        body: placeOrderBody(),
        caller,
        correlationId: 'corr-1',
      });

      // Assess
      expect(result.order).toMatchObject({
        customerId: 'cust-7',
        customerEmail: 'grace@example.com',
      });
      expect(await deps.orders.get('order-1')).toMatchObject({
        customerId: 'cust-7',
        customerEmail: 'grace@example.com',
      });
      expect(deps.events.published[0]?.data).toMatchObject({
        customerId: 'cust-7',
        customerEmail: 'grace@example.com',
      });
    });

    it('refuses a caller without a verified email, storing and publishing nothing', async () => {
      // Prepare
      const deps = fakeDependencies();
      const { verifiedEmail: _, ...unverified } = customerCaller();

      // Act
      const error = await placeOrder(deps, {
        body: placeOrderBody(),
        caller: unverified,
        correlationId: 'c',
      }).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(OrderAccessError);
      expect(error).toMatchObject({
        name: 'OrderAccessError',
        message: expect.stringContaining('verified email'),
      });
      expect(deps.orders.all()).toEqual([]);
      expect(deps.events.attempts).toEqual([]);
    });

    it.each([
      [
        'an email address the contracts refuse',
        { verifiedEmail: 'ada!shop@example' },
        'email address',
      ],
      ['a user id over 64 characters', { customerId: 'c'.repeat(65) }, 'user id'],
    ])(
      'refuses a caller with %s, storing nothing that could never be published',
      async (_, overrides, named) => {
        // Prepare
        const deps = fakeDependencies();

        // Act
        const error = await placeOrder(deps, {
          body: placeOrderBody(),
          caller: customerCaller(overrides),
          correlationId: 'c',
        }).catch((e: unknown) => e);

        // Assess
        expect(error).toBeInstanceOf(OrderAccessError);
        expect((error as Error).message).toContain(named);
        expect(deps.orders.all()).toEqual([]);
        expect(deps.events.attempts).toEqual([]);
      },
    );
  });
});
