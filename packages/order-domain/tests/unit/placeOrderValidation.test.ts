import { OrderValidationError } from '../../src/errors';
import { FIELDS_FROM_TOKEN, MAX_LINES_PER_ORDER, MAX_QUANTITY_PER_LINE } from '../../src/schemas';
import { placeOrder } from '../../src/useCases/placeOrder';
import { fakeDependencies } from '../helpers/fakes';
import { customerCaller, eur, placeOrderBody } from '../helpers/fixtures';

/** Places an order with `body`, expects it rejected, and returns the validation error. */
async function rejectionOf(body: unknown): Promise<OrderValidationError> {
  const deps = fakeDependencies();
  const error = await placeOrder(deps, {
    body,
    caller: customerCaller(),
    correlationId: 'corr-1',
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrderValidationError);
  // Nothing is stored or published for a rejected request.
  expect(deps.orders.all()).toEqual([]);
  expect(deps.events.attempts).toEqual([]);
  return error as OrderValidationError;
}

const paths = (error: OrderValidationError) => error.issues.map((issue) => issue.path);

/** The valid body with line `index` patched. */
function withLine(index: number, patch: Record<string, unknown>) {
  const body = placeOrderBody();
  return {
    ...body,
    lines: body.lines.map((line, i) => (i === index ? { ...line, ...patch } : line)),
  };
}

describe('Function: placeOrder (request validation)', () => {
  it('accepts the valid body', async () => {
    const result = await placeOrder(fakeDependencies(), {
      body: placeOrderBody(),
      caller: customerCaller(),
      correlationId: 'corr-1',
    });

    expect(result.order.status).toBe('PENDING');
  });

  it('names every missing field', async () => {
    const error = await rejectionOf({});

    expect(paths(error).sort()).toEqual(['lines', 'paymentToken']);
    expect(error.name).toBe('OrderValidationError');
    expect(error.message).toMatch(/^invalid order request: /);
  });

  it.each([
    ['null', null],
    ['a string', 'customerId=cust-42'],
    ['an array', [placeOrderBody()]],
  ])('rejects %s as body at the root', async (_case, body) => {
    const error = await rejectionOf(body);

    expect(paths(error)).toEqual(['body']);
    expect(error.message).toContain('body: ');
  });

  it.each([0, -1])('rejects a quantity of %d and names the field', async (quantity) => {
    const body = withLine(1, { quantity });

    const error = await rejectionOf(body);

    expect(paths(error)).toEqual(['lines.1.quantity']);
  });

  it('rejects a fractional quantity', async () => {
    const body = withLine(0, { quantity: 1.5 });

    expect(paths(await rejectionOf(body))).toEqual(['lines.0.quantity']);
  });

  it(`accepts a quantity of ${MAX_QUANTITY_PER_LINE} and rejects one more`, async () => {
    const body = withLine(0, { quantity: MAX_QUANTITY_PER_LINE });
    await expect(
      placeOrder(fakeDependencies(), { body, caller: customerCaller(), correlationId: 'c' }),
    ).resolves.toBeDefined();

    const over = withLine(0, { quantity: MAX_QUANTITY_PER_LINE + 1 });
    expect(paths(await rejectionOf(over))).toEqual(['lines.0.quantity']);
  });

  it('rejects a unit price that is not a whole number of cents', async () => {
    const body = withLine(0, { unitPrice: eur(14.5) });

    const error = await rejectionOf(body);

    expect(error.issues).toEqual([
      { path: 'lines.0.unitPrice.amount', message: 'must be an integer number of cents' },
    ]);
  });

  it('rejects a negative unit price', async () => {
    const body = withLine(1, { unitPrice: eur(-100) });

    expect(paths(await rejectionOf(body))).toEqual(['lines.1.unitPrice.amount']);
  });

  it('rejects lines in different currencies and names the line that differs', async () => {
    const body = withLine(1, { unitPrice: { amount: 3999, currency: 'USD' } });

    const error = await rejectionOf(body);

    expect(error.issues).toEqual([
      {
        path: 'lines.1.unitPrice.currency',
        message: "every line must use the order's currency EUR",
      },
    ]);
  });

  it('rejects a duplicate productId and names it at its line, pointing to the first', async () => {
    // Prepare
    const body = placeOrderBody();
    body.lines.push({ productId: 'prod-espresso-beans', quantity: 3, unitPrice: eur(1450) });

    // Act
    const error = await rejectionOf(body);

    // Assess
    expect(error.issues).toEqual([
      {
        path: 'lines.2.productId',
        message: 'duplicates line 0; put the whole quantity on one line',
      },
    ]);
  });

  it('reports every duplicate and every currency mismatch at once', async () => {
    const body = placeOrderBody();
    body.lines.push(
      { productId: 'prod-milk-frother', quantity: 1, unitPrice: { amount: 3999, currency: 'GBP' } },
      { productId: 'prod-espresso-beans', quantity: 1, unitPrice: eur(1450) },
    );

    const error = await rejectionOf(body);

    expect(paths(error).sort()).toEqual([
      'lines.2.productId',
      'lines.2.unitPrice.currency',
      'lines.3.productId',
    ]);
  });

  it('rejects an order without lines', async () => {
    const body = { ...placeOrderBody(), lines: [] };

    expect(paths(await rejectionOf(body))).toEqual(['lines']);
  });

  it(`accepts ${MAX_LINES_PER_ORDER} lines and rejects ${MAX_LINES_PER_ORDER + 1}`, async () => {
    // Prepare
    const line = (i: number) => ({ productId: `prod-${i}`, quantity: 1, unitPrice: eur(100) });
    const body = (count: number) => ({
      ...placeOrderBody(),
      lines: Array.from({ length: count }, (_, i) => line(i)),
    });

    // Act
    const accepted = await placeOrder(fakeDependencies(), {
      body: body(MAX_LINES_PER_ORDER),
      caller: customerCaller(),
      correlationId: 'c',
    });
    const error = await rejectionOf(body(MAX_LINES_PER_ORDER + 1));

    // Assess
    expect(accepted.order.lines).toHaveLength(MAX_LINES_PER_ORDER);
    expect(paths(error)).toEqual(['lines']);
  });

  it.each([
    ['paymentToken', { paymentToken: '' }],
    ['paymentToken', { paymentToken: 't'.repeat(257) }],
  ])('rejects an invalid %s', async (path, overrides) => {
    const error = await rejectionOf({ ...placeOrderBody(), ...overrides });

    expect(paths(error)).toEqual([path]);
  });

  it('rejects fields it does not know, such as a client-computed total or status', async () => {
    const error = await rejectionOf({ ...placeOrderBody(), total: eur(1), status: 'CONFIRMED' });

    expect(paths(error)).toEqual(['total', 'status']);
    expect(error.issues[0]?.message).toMatch(/total/);
  });

  it('rejects unknown fields on a line', async () => {
    expect(paths(await rejectionOf(withLine(0, { discount: 100 })))).toEqual(['lines.0.discount']);
  });

  describe('fields the token supplies', () => {
    it.each([
      ['customerId', { customerId: 'cust-42' }],
      ['customerEmail', { customerEmail: 'ada@example.com' }],
    ])("refuses %s in the body, even with the caller's own value", async (field, extra) => {
      const error = await rejectionOf({ ...placeOrderBody(), ...extra });

      expect(error.issues).toEqual([
        { path: field, message: FIELDS_FROM_TOKEN[field as keyof typeof FIELDS_FROM_TOKEN] },
      ]);
    });

    it('names each of them once when the body has both', async () => {
      const error = await rejectionOf({
        ...placeOrderBody(),
        customerId: 'cust-7',
        customerEmail: 'eve@example.com',
      });

      expect(error.issues).toEqual([
        { path: 'customerId', message: FIELDS_FROM_TOKEN.customerId },
        { path: 'customerEmail', message: FIELDS_FROM_TOKEN.customerEmail },
      ]);
      expect(error.message).toContain('customerId: is taken from your sign-in token');
      expect(error.message).toContain('customerEmail: is taken from your sign-in token');
    });

    it('refuses them whatever their value, null included', async () => {
      const error = await rejectionOf({ ...placeOrderBody(), customerId: null });

      expect(paths(error)).toEqual(['customerId']);
    });
  });

  it('refuses an order whose total is past the largest exact amount, naming lines', async () => {
    // Prepare: every field is within its own limits; 2 × the price is not a safe integer.
    const body = {
      ...placeOrderBody(),
      lines: [{ productId: 'prod-a', quantity: 2, unitPrice: eur(Number.MAX_SAFE_INTEGER) }],
    };

    // Act
    const error = await rejectionOf(body);

    // Assess
    expect(error.issues).toEqual([
      { path: 'lines', message: expect.stringContaining('the most an order can come to') },
    ]);
  });
});
