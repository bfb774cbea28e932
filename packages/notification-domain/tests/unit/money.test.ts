import { formatMoney, lineTotal } from '../../src/money';

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
