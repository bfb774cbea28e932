import { formatMoney, lineTotal, MoneySchema, sumMoney } from '../../src/money';

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

describe('Function: formatMoney', () => {
  it.each([
    { amount: 2900, currency: 'EUR', expected: '€29.00' },
    { amount: 5, currency: 'EUR', expected: '€0.05' },
    { amount: 0, currency: 'EUR', expected: '€0.00' },
    { amount: 123456789, currency: 'USD', expected: '$1,234,567.89' },
    { amount: 1999, currency: 'GBP', expected: '£19.99' },
    // Currencies without or with more minor digits: the amount is in their own minor unit.
    { amount: 500, currency: 'JPY', expected: '¥500' },
    { amount: 1234500, currency: 'BHD', expected: 'BHD\u00a01,234.500' },
  ])('formats $amount $currency as $expected', ({ amount, currency, expected }) => {
    // Act
    const formatted = formatMoney({ amount, currency });

    // Assess
    expect(formatted).toBe(expected);
  });

  it('formats in the locale it is given', () => {
    // Act
    const formatted = formatMoney({ amount: 1450, currency: 'EUR' }, 'de');

    // Assess
    expect(formatted).toBe(
      new Intl.NumberFormat('de', { style: 'currency', currency: 'EUR' }).format(14.5),
    );
  });

  it('matches Intl.NumberFormat in English with the currency style', () => {
    // Prepare
    const reference = new Intl.NumberFormat('en', { style: 'currency', currency: 'CHF' });

    // Act
    const formatted = formatMoney({ amount: 4250, currency: 'CHF' });

    // Assess
    expect(formatted).toBe(reference.format(42.5));
  });
});

describe('Function: lineTotal', () => {
  it('multiplies the unit price by the quantity in the unit price currency', () => {
    // Act
    const total = lineTotal({ quantity: 3, unitPrice: { amount: 1450, currency: 'EUR' } });

    // Assess
    expect(total).toEqual({ amount: 4350, currency: 'EUR' });
  });
});
