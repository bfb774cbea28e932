import { MoneySchema, sumMoney } from '../../src/money';

describe('Schema: MoneySchema', () => {
  it.each([
    { amount: 1999, currency: 'EUR' },
    { amount: 0, currency: 'USD' },
  ])('accepts $amount $currency', (money) => {
    expect(MoneySchema.parse(money)).toEqual(money);
  });

  it.each([
    ['a float amount', { amount: 19.99, currency: 'EUR' }, 'amount'],
    ['a negative amount', { amount: -1, currency: 'EUR' }, 'amount'],
    ['an amount as a string', { amount: '1999', currency: 'EUR' }, 'amount'],
    ['a lower-case currency', { amount: 100, currency: 'eur' }, 'currency'],
    ['a two-letter currency', { amount: 100, currency: 'EU' }, 'currency'],
    ['a four-letter currency', { amount: 100, currency: 'EURO' }, 'currency'],
    ['a missing currency', { amount: 100 }, 'currency'],
  ])('rejects %s', (_case, money, path) => {
    const result = MoneySchema.safeParse(money);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([path]);
  });

  it('explains why a float amount is wrong', () => {
    const result = MoneySchema.safeParse({ amount: 0.5, currency: 'EUR' });

    expect(result.error?.issues[0]?.message).toBe('must be an integer number of cents');
  });

  it('rejects unknown fields', () => {
    expect(MoneySchema.safeParse({ amount: 1, currency: 'EUR', precision: 2 }).success).toBe(false);
  });
});

describe('Function: sumMoney', () => {
  it('adds amounts of one currency', () => {
    const total = sumMoney(
      [
        { amount: 1450, currency: 'EUR' },
        { amount: 2900, currency: 'EUR' },
        { amount: 1, currency: 'EUR' },
      ],
      'EUR',
    );

    expect(total).toEqual({ amount: 4351, currency: 'EUR' });
  });

  it('returns zero in the given currency for no amounts', () => {
    expect(sumMoney([], 'USD')).toEqual({ amount: 0, currency: 'USD' });
  });

  it('rejects an amount in another currency', () => {
    expect(() =>
      sumMoney(
        [
          { amount: 100, currency: 'EUR' },
          { amount: 100, currency: 'USD' },
        ],
        'EUR',
      ),
    ).toThrow(new RangeError('cannot add USD to EUR'));
  });

  it('rejects amounts whose currency differs from the requested one', () => {
    expect(() => sumMoney([{ amount: 100, currency: 'EUR' }], 'GBP')).toThrow(RangeError);
  });

  it('rejects a total beyond the safe integer range', () => {
    expect(() =>
      sumMoney(
        [
          { amount: Number.MAX_SAFE_INTEGER, currency: 'EUR' },
          { amount: 1, currency: 'EUR' },
        ],
        'EUR',
      ),
    ).toThrow('amount overflows a safe integer');
  });
});
