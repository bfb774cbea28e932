import { OrderValidationError } from '../../src/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../src/schemas';
import { listOrders } from '../../src/useCases/listOrders';
import { fakeDependencies } from '../helpers/fakes';
import { pendingOrder } from '../helpers/fixtures';

async function rejectionOf(query: Record<string, string | undefined>) {
  const error = await listOrders(fakeDependencies(), query).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrderValidationError);
  return (error as OrderValidationError).issues.map((issue) => issue.path);
}

function depsWithOrders(count: number) {
  return fakeDependencies({
    orders: Array.from({ length: count }, (_, i) =>
      pendingOrder({
        orderId: `order-${i}`,
        createdAt: new Date(Date.UTC(2024, 4, 1, 10, i)).toISOString(),
      }),
    ),
  });
}

describe('Function: listOrders', () => {
  it('returns the customer orders as views, newest first', async () => {
    // Prepare
    const deps = depsWithOrders(3);

    // Act
    const page = await listOrders(deps, { customerId: 'cust-42' });

    // Assess
    expect(page.items.map((item) => item.orderId)).toEqual(['order-2', 'order-1', 'order-0']);
    expect(page.items[0]).not.toHaveProperty('paymentToken');
    expect(page).not.toHaveProperty('nextCursor');
  });

  it(`asks for ${DEFAULT_PAGE_SIZE} orders when no limit is given, and no cursor`, async () => {
    const deps = depsWithOrders(0);

    await listOrders(deps, { customerId: 'cust-42' });

    expect(deps.orders.listByCustomerCalls).toEqual([
      { customerId: 'cust-42', page: { limit: DEFAULT_PAGE_SIZE } },
    ]);
  });

  it('reads the limit from its query string text', async () => {
    const deps = depsWithOrders(0);

    await listOrders(deps, { customerId: 'cust-42', limit: '5' });

    expect(deps.orders.listByCustomerCalls[0]?.page).toEqual({ limit: 5 });
  });

  it('passes the cursor on and returns the next one', async () => {
    // Prepare
    const deps = depsWithOrders(5);

    // Act
    const first = await listOrders(deps, { customerId: 'cust-42', limit: '2' });
    const second = await listOrders(deps, {
      customerId: 'cust-42',
      limit: '2',
      cursor: first.nextCursor,
    });

    // Assess
    expect(first.nextCursor).toBe('2');
    expect(deps.orders.listByCustomerCalls[1]?.page).toEqual({ limit: 2, cursor: '2' });
    expect(second.items.map((item) => item.orderId)).toEqual(['order-2', 'order-1']);
    expect(second.nextCursor).toBe('4');
  });

  it('lets the repository reject a cursor it did not issue', async () => {
    const deps = depsWithOrders(1);
    deps.orders.listByCustomer = async () => {
      throw new Error('cursor is not one this API issued');
    };

    await expect(listOrders(deps, { customerId: 'cust-42', cursor: 'forged' })).rejects.toThrow(
      'cursor is not one this API issued',
    );
  });

  it('requires a customerId', async () => {
    expect(await rejectionOf({})).toEqual(['customerId']);
    expect(await rejectionOf({ customerId: '' })).toEqual(['customerId']);
  });

  it.each(['0', String(MAX_PAGE_SIZE + 1), '2.5', 'ten', '-1'])(
    'rejects a limit of %j',
    async (limit) => {
      expect(await rejectionOf({ customerId: 'cust-42', limit })).toEqual(['limit']);
    },
  );

  it(`accepts a limit of ${MAX_PAGE_SIZE}`, async () => {
    const deps = depsWithOrders(0);

    await listOrders(deps, { customerId: 'cust-42', limit: String(MAX_PAGE_SIZE) });

    expect(deps.orders.listByCustomerCalls[0]?.page.limit).toBe(MAX_PAGE_SIZE);
  });

  it('rejects an empty or overlong cursor', async () => {
    expect(await rejectionOf({ customerId: 'cust-42', cursor: '' })).toEqual(['cursor']);
    expect(await rejectionOf({ customerId: 'cust-42', cursor: 'c'.repeat(2049) })).toEqual([
      'cursor',
    ]);
  });

  it('rejects query parameters it does not know', async () => {
    expect(await rejectionOf({ customerId: 'cust-42', status: 'CONFIRMED' })).toEqual(['']);
  });

  it('does not query the repository for an invalid query', async () => {
    const deps = depsWithOrders(1);

    await expect(listOrders(deps, { limit: '5' })).rejects.toBeInstanceOf(OrderValidationError);

    expect(deps.orders.listByCustomerCalls).toEqual([]);
  });
});
