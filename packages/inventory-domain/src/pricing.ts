import type { Money } from '@shop/contracts';
import { PRICE_HISTORY_LENGTH, type PriceChange, type StoredProduct } from './product';

/**
 * When a product's first known price took effect, for products stored before prices had a
 * history: as far as the shop knows, that price always applied.
 */
const SINCE_RECORDS_BEGAN = new Date(0).toISOString();

const sameMoney = (a: Money, b: Money) => a.amount === b.amount && a.currency === b.currency;

/** The product's prices with the instants they took effect, oldest first. */
function pricesOf(product: StoredProduct): PriceChange[] {
  return product.priceHistory.length > 0
    ? product.priceHistory
    : [{ price: product.price, effectiveFrom: SINCE_RECORDS_BEGAN }];
}

/**
 * The price a customer was quoted for an order placed at `at`: the latest price that took effect
 * at or before then. Undefined when the history no longer reaches back that far.
 *
 * @example
 * ```ts
 * priceInEffectAt(product, new Date(orderCreated.occurredAt)); // { amount: 1450, currency: 'EUR' }
 * ```
 */
export function priceInEffectAt(product: StoredProduct, at: Date): Money | undefined {
  let inEffect: PriceChange | undefined;
  for (const change of pricesOf(product)) {
    const from = Date.parse(change.effectiveFrom);
    // `>=`: of two changes at the same instant, the one recorded later wins.
    if (from <= at.getTime() && (!inEffect || from >= Date.parse(inEffect.effectiveFrom))) {
      inEffect = change;
    }
  }
  return inEffect?.price;
}

/**
 * Whether `price` is what a customer ordering at `at` was quoted: the price in effect then, and
 * no other.
 *
 * @example
 * ```ts
 * isPriceInEffectAt(product, line.unitPrice, new Date(orderCreated.occurredAt));
 * ```
 */
export function isPriceInEffectAt(product: StoredProduct, price: Money, at: Date): boolean {
  const inEffect = priceInEffectAt(product, at);
  return inEffect !== undefined && sameMoney(inEffect, price);
}

/**
 * The price history after setting `price` at `now`: unchanged when the price is the same, else
 * with the new price appended and only the last {@link PRICE_HISTORY_LENGTH} kept.
 *
 * @example
 * ```ts
 * const priceHistory = priceHistoryWith(product, { amount: 1550, currency: 'EUR' }, clock.now());
 * ```
 */
export function priceHistoryWith(product: StoredProduct, price: Money, now: Date): PriceChange[] {
  if (sameMoney(price, product.price)) return product.priceHistory;
  return [...pricesOf(product), { price, effectiveFrom: now.toISOString() }].slice(
    -PRICE_HISTORY_LENGTH,
  );
}
