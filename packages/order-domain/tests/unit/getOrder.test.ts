import { OrderNotFoundError, OrderValidationError } from '../../src/errors';
import { getOrder } from '../../src/useCases/getOrder';
import { fakeDependencies } from '../helpers/fakes';
import { adminCaller, customerCaller, pendingOrder } from '../helpers/fixtures';

/** What `getOrder` rejected with; fails the test if it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected getOrder to reject');
    },
    (e: unknown) => e,
  );
}

describe('Function: getOrder', () => {
  it('returns the stored order to its owner', async () => {
    const order = pendingOrder({ orderId: 'order-9' });
    const deps = fakeDependencies({ orders: [order] });

    await expect(getOrder(deps, 'order-9', customerCaller())).resolves.toEqual(order);
  });

  it('throws OrderNotFoundError naming the id when the order does not exist', async () => {
    const deps = fakeDependencies({ orders: [pendingOrder({ orderId: 'order-9' })] });

    const error = await rejectionOf(getOrder(deps, 'order-404', customerCaller()));

    expect(error).toBeInstanceOf(OrderNotFoundError);
    expect(error).toMatchObject({
      name: 'OrderNotFoundError',
      orderId: 'order-404',
      message: 'order order-404 does not exist',
    });
  });

  it("answers another customer's order exactly like a missing one", async () => {
    // Prepare
    const deps = fakeDependencies({
      orders: [pendingOrder({ orderId: 'order-9', customerId: 'cust-42' })],
    });
    const stranger = customerCaller({ customerId: 'cust-7', verifiedEmail: 'eve@example.com' });

    // Act
    const foreign = await rejectionOf(getOrder(deps, 'order-9', stranger));
    const missing = await rejectionOf(getOrder(deps, 'order-8', stranger));

    // Assess
    expect(foreign).toBeInstanceOf(OrderNotFoundError);
    expect(foreign).toMatchObject({
      name: 'OrderNotFoundError',
      orderId: 'order-9',
      message: 'order order-9 does not exist',
    });
    // Same class, same wording: only the id differs, so ids reveal nothing.
    expect((foreign as Error).message.replace('order-9', '<id>')).toBe(
      (missing as Error).message.replace('order-8', '<id>'),
    );
    expect(Object.keys(foreign as object).sort()).toEqual(Object.keys(missing as object).sort());
  });

  it("returns any customer's order to an administrator", async () => {
    const order = pendingOrder({ orderId: 'order-9', customerId: 'cust-7' });
    const deps = fakeDependencies({ orders: [order] });

    await expect(getOrder(deps, 'order-9', adminCaller())).resolves.toEqual(order);
  });

  it('throws OrderNotFoundError to an administrator when the order does not exist', async () => {
    const deps = fakeDependencies();

    await expect(getOrder(deps, 'order-404', adminCaller())).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );
  });

  it.each(['', 'o'.repeat(65)])(
    'throws OrderValidationError for the id %j without reading',
    async (orderId) => {
      // Prepare
      const deps = fakeDependencies();
      const get = jest.spyOn(deps.orders, 'get');

      // Act
      const error = await rejectionOf(getOrder(deps, orderId, customerCaller()));

      // Assess
      expect(error).toBeInstanceOf(OrderValidationError);
      expect((error as OrderValidationError).issues).toEqual([
        { path: 'orderId', message: 'is not a valid order id' },
      ]);
      expect(get).not.toHaveBeenCalled();
    },
  );
});
