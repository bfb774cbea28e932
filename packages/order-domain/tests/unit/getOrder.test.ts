import { OrderNotFoundError, OrderValidationError } from '../../src/errors';
import { getOrder } from '../../src/useCases/getOrder';
import { fakeDependencies } from '../helpers/fakes';
import { pendingOrder } from '../helpers/fixtures';

describe('Function: getOrder', () => {
  it('returns the stored order', async () => {
    const order = pendingOrder({ orderId: 'order-9' });
    const deps = fakeDependencies({ orders: [order] });

    await expect(getOrder(deps, 'order-9')).resolves.toEqual(order);
  });

  it('throws OrderNotFoundError naming the id when the order does not exist', async () => {
    const deps = fakeDependencies({ orders: [pendingOrder({ orderId: 'order-9' })] });

    const error = await getOrder(deps, 'order-404').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OrderNotFoundError);
    expect(error).toMatchObject({
      name: 'OrderNotFoundError',
      orderId: 'order-404',
      message: 'order order-404 does not exist',
    });
  });

  it.each(['', 'o'.repeat(65)])(
    'throws OrderValidationError for the id %j without reading',
    async (orderId) => {
      // Prepare
      const deps = fakeDependencies();
      const get = jest.spyOn(deps.orders, 'get');

      // Act
      const error = await getOrder(deps, orderId).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(OrderValidationError);
      expect((error as OrderValidationError).issues).toEqual([
        { path: 'orderId', message: 'is not a valid order id' },
      ]);
      expect(get).not.toHaveBeenCalled();
    },
  );
});
