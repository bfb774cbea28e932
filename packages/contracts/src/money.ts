import { z } from 'zod';

/**
 * An amount of money in the currency's minor unit (cents), never a float.
 *
 * @example
 * ```ts
 * MoneySchema.parse({ amount: 1999, currency: 'EUR' }); // €19.99
 * ```
 */
export const MoneySchema = z
  .object({
    amount: z.number().int('must be an integer number of cents').min(0),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  })
  .strict();

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

/**
 * Money for people: `formatMoney({ amount: 1450, currency: 'EUR' })` is `€14.50`.
 * The currency's own minor unit decides the decimals.
 */
export function formatMoney(money: Money, locale = 'en'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}
