import * as z from './zod';

/**
 * An amount of money in the currency's minor unit (cents), never a float.
 *
 * @example
 * ```ts
 * MoneySchema.parse({ amount: 1999, currency: 'EUR' }); // €19.99
 * ```
 */
export const MoneySchema = z.strictObject({
  amount: z.number().check(z.int('must be an integer number of cents'), z.gte(0)),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')),
});

export type Money = z.infer<typeof MoneySchema>;

/** Adds amounts of one currency; mixing currencies is a programming error, not user input. */
export function sumMoney(amounts: readonly Money[], currency: string): Money {
  let total = 0;
  for (const money of amounts) {
    if (money.currency !== currency) {
      throw new RangeError(`cannot add ${money.currency} to ${currency}`);
    }
    total += money.amount;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('amount overflows a safe integer');
  return { amount: total, currency };
}

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Money for people to read. The amount is in the currency's minor unit and the currency decides
 * how many minor digits it has (2 for EUR, 0 for JPY, 3 for BHD), so cents are never assumed. A
 * well-formed code Intl does not know (`XYZ`) is shown as the code with two minor digits.
 *
 * @example
 * ```ts
 * formatMoney({ amount: 1450, currency: 'EUR' }); // '€14.50'
 * formatMoney({ amount: 500, currency: 'JPY' });  // '¥500'
 * formatMoney({ amount: 1450, currency: 'EUR' }, 'de'); // '14,50 €'
 * ```
 */
export function formatMoney(money: Money, locale = 'en'): string {
  const formatter = currencyFormatter(locale, money.currency);
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
