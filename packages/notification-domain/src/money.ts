import type { Money } from '@shop/contracts';

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/**
 * Formats an amount held in the currency's minor unit for a customer to read. The number of minor
 * digits comes from the currency (2 for EUR, 0 for JPY, 3 for BHD), so cents are never assumed.
 *
 * @example
 * ```ts
 * formatMoney({ amount: 2900, currency: 'EUR' }); // '€29.00'
 * formatMoney({ amount: 500, currency: 'JPY' });  // '¥500'
 * ```
 * A well-formed code Intl does not know (`XYZ`) is shown as the code with two minor digits.
 */
export function formatMoney(money: Money): string {
  const formatter = currencyFormatter(money.currency);
  const minorDigits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(money.amount / 10 ** minorDigits);
}

/**
 * Quantity × unit price, in the unit price's currency and minor unit.
 *
 * @example
 * ```ts
 * lineTotal({ quantity: 2, unitPrice: { amount: 1450, currency: 'EUR' } }); // { amount: 2900, currency: 'EUR' }
 * ```
 */
export function lineTotal(line: { quantity: number; unitPrice: Money }): Money {
  return { amount: line.quantity * line.unitPrice.amount, currency: line.unitPrice.currency };
}
