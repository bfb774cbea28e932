import { OrderValidationError } from '../../src/errors';
import type { OrderCaller } from '../../src/ports';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../src/schemas';
import { listOrders } from '../../src/useCases/listOrders';
import { fakeDependencies } from '../helpers/fakes';
import { adminCaller, customerCaller, pendingOrder } from '../helpers/fixtures';

/** Lists with `query`, expects an OrderValidationError, and returns the paths it names. */
async function rejectionOf(
  query: Record<string, string | undefined>,
  caller: OrderCaller = customerCaller(),
) {
  const error = await listOrders(fakeDependencies(), query, caller).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrderValidationError);
  return (error as OrderValidationError).issues.map((issue) => issue.path);
}

/** `count` orders of cust-42 (`order-0` oldest), plus one of `cust-7` and one of `admin-1`. */
function depsWithOrders(count: number) {
  return fakeDependencies({
    orders: [
      ...Array.from({ length: count }, (_, i) =>
        pendingOrder({
          orderId: `order-${i}`,
          createdAt: new Date(Date.UTC(2024, 4, 1, 10, i)).toISOString(),
        }),
      ),
      pendingOrder({ orderId: 'order-of-cust-7', customerId: 'cust-7' }),
      pendingOrder({ orderId: 'order-of-admin-1', customerId: 'admin-1' }),
    ],
  });
}

describe('Function: listOrders', () => {
  describe('whose orders', () => {
    it("returns the caller's own orders as views, newest first", async () => {
      // Prepare
      const deps = depsWithOrders(3);

      // Act
      const page = await listOrders(deps, {}, customerCaller());

      // Assess
      expect(page.items.map((item) => item.orderId)).toEqual(['order-2', 'order-1', 'order-0']);
      expect(page.items[0]).not.toHaveProperty('paymentToken');
      expect(page).not.toHaveProperty('nextCursor');
      expect(deps.orders.listByCustomerCalls.map((call) => call.customerId)).toEqual(['cust-42']);
    });

    it("asks the repository for the caller's id, whoever the caller is", async () => {
      const deps = depsWithOrders(3);

      const page = await listOrders(deps, {}, customerCaller({ customerId: 'cust-7' }));

      expect(deps.orders.listByCustomerCalls.map((call) => call.customerId)).toEqual(['cust-7']);
      expect(page.items.map((item) => item.orderId)).toEqual(['order-of-cust-7']);
    });

    it.each(['cust-7', 'cust-42'])(
      'refuses a customerId of %j from a customer, without querying',
      async (customerId) => {
        // Prepare
        const deps = depsWithOrders(1);

        // Act
        const error = await listOrders(deps, { customerId }, customerCaller()).catch(
          (e: unknown) => e,
        );

        // Assess
        expect(error).toBeInstanceOf(OrderValidationError);
        expect((error as OrderValidationError).issues).toEqual([
          {
            path: 'customerId',
            message: 'customers list their own orders; only administrators may name a customer',
          },
        ]);
        expect(deps.orders.listByCustomerCalls).toEqual([]);
      },
    );

    it("returns the named customer's orders to an administrator", async () => {
      const deps = depsWithOrders(2);

      const page = await listOrders(deps, { customerId: 'cust-7' }, adminCaller());

      expect(deps.orders.listByCustomerCalls.map((call) => call.customerId)).toEqual(['cust-7']);
      expect(page.items.map((item) => item.orderId)).toEqual(['order-of-cust-7']);
    });

    it("returns an administrator's own orders when no customer is named", async () => {
      const deps = depsWithOrders(2);

      const page = await listOrders(deps, {}, adminCaller());

      expect(deps.orders.listByCustomerCalls.map((call) => call.customerId)).toEqual(['admin-1']);
      expect(page.items.map((item) => item.orderId)).toEqual(['order-of-admin-1']);
    });

    it('rejects an empty or overlong customerId from an administrator', async () => {
      expect(await rejectionOf({ customerId: '' }, adminCaller())).toEqual(['customerId']);
      expect(await rejectionOf({ customerId: 'c'.repeat(65) }, adminCaller())).toEqual([
        'customerId',
      ]);
    });
  });

  describe('paging', () => {
    it(`asks for ${DEFAULT_PAGE_SIZE} orders when no limit is given, and no cursor`, async () => {
      const deps = depsWithOrders(0);

      await listOrders(deps, {}, customerCaller());

      expect(deps.orders.listByCustomerCalls).toEqual([
        { customerId: 'cust-42', page: { limit: DEFAULT_PAGE_SIZE } },
      ]);
    });

    it('reads the limit from its query string text', async () => {
      const deps = depsWithOrders(0);

      await listOrders(deps, { limit: '5' }, customerCaller());

      expect(deps.orders.listByCustomerCalls[0]?.page).toEqual({ limit: 5 });
    });

    it('passes the cursor on and returns the next one', async () => {
      // Prepare
      const deps = depsWithOrders(5);

      // Act
      const first = await listOrders(deps, { limit: '2' }, customerCaller());
      const second = await listOrders(
        deps,
        { limit: '2', cursor: first.nextCursor },
        customerCaller(),
      );

      // Assess
      expect(first.nextCursor).toBe('cust-42@2');
      expect(deps.orders.listByCustomerCalls[1]?.page).toEqual({ limit: 2, cursor: 'cust-42@2' });
      expect(second.items.map((item) => item.orderId)).toEqual(['order-2', 'order-1']);
      expect(second.nextCursor).toBe('cust-42@4');
    });

    it('lets the repository reject a cursor it did not issue', async () => {
      const deps = depsWithOrders(1);
      deps.orders.listByCustomer = async () => {
        throw new Error('cursor is not one this API issued');
      };

      await expect(listOrders(deps, { cursor: 'forged' }, customerCaller())).rejects.toThrow(
        'cursor is not one this API issued',
      );
    });

    it("asks for the listed customer's page with the cursor, so one issued to another is refused", async () => {
      // Prepare
      const deps = depsWithOrders(5);
      const mine = await listOrders(deps, { limit: '2' }, customerCaller());

      // Act
      const error = await listOrders(
        deps,
        { limit: '2', cursor: mine.nextCursor },
        customerCaller({ customerId: 'cust-7' }),
      ).catch((e: unknown) => e);

      // Assess
      expect(deps.orders.listByCustomerCalls[1]).toEqual({
        customerId: 'cust-7',
        page: { limit: 2, cursor: 'cust-42@2' },
      });
      expect(error).toBeInstanceOf(OrderValidationError);
      expect((error as OrderValidationError).issues.map((issue) => issue.path)).toEqual(['cursor']);
    });

    it("lets an administrator page through a customer's orders with the cursor issued for them", async () => {
      // Prepare
      const deps = depsWithOrders(3);
      const first = await listOrders(deps, { customerId: 'cust-42', limit: '2' }, adminCaller());

      // Act
      const second = await listOrders(
        deps,
        { customerId: 'cust-42', limit: '2', cursor: first.nextCursor },
        adminCaller(),
      );
      const own = await listOrders(deps, { cursor: first.nextCursor }, adminCaller()).catch(
        (e: unknown) => e,
      );

      // Assess
      expect(second.items.map((item) => item.orderId)).toEqual(['order-0']);
      expect(own).toBeInstanceOf(OrderValidationError);
    });

    it.each([
      ['a NUL', 'abc\u0000def'],
      ['a line feed', 'abc\ndef'],
      ['a lone surrogate', JSON.parse('"abc\\ud800"') as string],
      ['a non-character', 'abc\uffff'],
      ['a space', 'abc def'],
    ])('rejects a cursor holding %s, naming cursor, without querying', async (_case, cursor) => {
      const deps = depsWithOrders(1);

      const error = await listOrders(deps, { cursor }, customerCaller()).catch((e: unknown) => e);

      expect((error as OrderValidationError).issues.map((issue) => issue.path)).toEqual(['cursor']);
      expect(deps.orders.listByCustomerCalls).toEqual([]);
    });

    it.each(['0', String(MAX_PAGE_SIZE + 1), '2.5', 'ten', '-1'])(
      'rejects a limit of %j',
      async (limit) => {
        expect(await rejectionOf({ limit })).toEqual(['limit']);
      },
    );

    it(`accepts a limit of ${MAX_PAGE_SIZE}`, async () => {
      const deps = depsWithOrders(0);

      await listOrders(deps, { limit: String(MAX_PAGE_SIZE) }, customerCaller());

      expect(deps.orders.listByCustomerCalls[0]?.page.limit).toBe(MAX_PAGE_SIZE);
    });

    it('rejects an empty or overlong cursor', async () => {
      expect(await rejectionOf({ cursor: '' })).toEqual(['cursor']);
      expect(await rejectionOf({ cursor: 'c'.repeat(2049) })).toEqual(['cursor']);
    });
  });

  it('rejects query parameters it does not know', async () => {
    expect(await rejectionOf({ status: 'CONFIRMED' })).toEqual(['status']);
  });

  it('does not query the repository for an invalid query', async () => {
    const deps = depsWithOrders(1);

    await expect(listOrders(deps, { limit: '0' }, customerCaller())).rejects.toBeInstanceOf(
      OrderValidationError,
    );

    expect(deps.orders.listByCustomerCalls).toEqual([]);
  });
});
