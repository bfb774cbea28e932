import * as z from '@shop/contracts/zod';
import fc from 'fast-check';
import { newOrder, type OrderLine, orderTotal, toOrderView } from '../../src/order';
import { OrderViewSchema } from '../../src/schemas';
import { eur, pendingOrder, placeOrderBody } from '../helpers/fixtures';

// A hundred generated cases each: under coverage on a busy 2-core CI machine they take several
// times the second or so they take here, past jest's 5 s default.
jest.setTimeout(30_000);

describe('Function: orderTotal', () => {
  it('sums quantity × unit price in cents', () => {
    const total = orderTotal([
      { productId: 'a', quantity: 2, unitPrice: eur(1450) },
      { productId: 'b', quantity: 3, unitPrice: eur(999) },
    ]);

    expect(total).toEqual(eur(2 * 1450 + 3 * 999));
  });

  it('keeps the currency of the lines', () => {
    const total = orderTotal([
      { productId: 'a', quantity: 1, unitPrice: { amount: 500, currency: 'USD' } },
    ]);

    expect(total).toEqual({ amount: 500, currency: 'USD' });
  });

  it('rejects an order without lines', () => {
    expect(() => orderTotal([])).toThrow(new RangeError('an order has at least one line'));
  });

  it('rejects a total beyond the safe integer range', () => {
    expect(() =>
      orderTotal([
        // Each line alone is safe (≈ 9.0e15); together they are not.
        { productId: 'a', quantity: 1000, unitPrice: eur(9_007_199_254_740) },
        { productId: 'b', quantity: 1000, unitPrice: eur(9_007_199_254_740) },
      ]),
    ).toThrow(RangeError);
  });

  it('rejects lines in different currencies', () => {
    expect(() =>
      orderTotal([
        { productId: 'a', quantity: 1, unitPrice: eur(100) },
        { productId: 'b', quantity: 1, unitPrice: { amount: 200, currency: 'USD' } },
      ]),
    ).toThrow(RangeError);
  });

  it('equals the sum of quantity × unit price for any valid lines, as an integer', () => {
    const line = fc.record({
      productId: fc.string({ minLength: 1, maxLength: 64 }),
      quantity: fc.integer({ min: 1, max: 1000 }),
      unitPrice: fc.record({
        amount: fc.integer({ min: 0, max: 10_000_000 }),
        currency: fc.constant('EUR'),
      }),
    });

    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 50 }), (lines: OrderLine[]) => {
        const total = orderTotal(lines);

        let expected = 0;
        for (const l of lines) expected += l.quantity * l.unitPrice.amount;
        expect(total).toEqual({ amount: expected, currency: 'EUR' });
        expect(Number.isSafeInteger(total.amount)).toBe(true);
        expect(total.amount).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('Function: newOrder', () => {
  it('creates a PENDING, unpublished order with its total and a first timeline entry', () => {
    // Prepare
    const request = placeOrderBody();
    const now = new Date('2024-05-01T10:00:00.000Z');

    // Act
    const order = newOrder(
      request,
      {
        orderId: 'order-7',
        correlationId: 'corr-7',
        customerId: 'cust-7',
        customerEmail: 'grace@example.com',
      },
      now,
    );

    // Assess
    expect(order).toEqual({
      orderId: 'order-7',
      customerId: 'cust-7',
      customerEmail: 'grace@example.com',
      lines: request.lines,
      total: eur(2 * 1450 + 3999),
      paymentToken: 'tok_sandbox_success',
      status: 'PENDING',
      outcomes: {},
      correlationId: 'corr-7',
      createdAt: '2024-05-01T10:00:00.000Z',
      updatedAt: '2024-05-01T10:00:00.000Z',
      published: false,
      decisionPublished: false,
      version: 1,
      timeline: [{ at: '2024-05-01T10:00:00.000Z', event: 'OrderCreated' }],
    });
  });

  it('copies the lines rather than sharing the request objects', () => {
    const request = placeOrderBody();

    const order = newOrder(
      request,
      { orderId: 'o', correlationId: 'c', customerId: 'cust-42', customerEmail: 'ada@example.com' },
      new Date(),
    );

    expect(order.lines[0]).not.toBe(request.lines[0]);
  });
});

describe('Function: toOrderView', () => {
  it('hides the payment token and internal bookkeeping', () => {
    const view = toOrderView(pendingOrder());

    expect(view).not.toHaveProperty('paymentToken');
    expect(view).not.toHaveProperty('published');
    expect(view).not.toHaveProperty('outcomes');
    expect(view).not.toHaveProperty('correlationId');
    expect(JSON.stringify(view)).not.toContain('tok_sandbox_success');
  });

  it('includes the cancellation reason only when there is one', () => {
    expect(toOrderView(pendingOrder())).not.toHaveProperty('cancellationReason');
    expect(
      toOrderView(pendingOrder({ status: 'CANCELLED', cancellationReason: 'Out of stock' })),
    ).toMatchObject({ status: 'CANCELLED', cancellationReason: 'Out of stock' });
  });

  it('matches the published OrderView schema', () => {
    const result = z.strictObject(OrderViewSchema.shape).safeParse(toOrderView(pendingOrder()));

    expect(result.error).toBeUndefined();
  });
});
