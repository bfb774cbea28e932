import type * as z from './zod';

/** Marks where text was cut; one UTF-16 code unit. */
const ELLIPSIS = '…';

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;

/**
 * `text` cut to at most `maxLength` UTF-16 code units (what zod's `maxLength` counts), ending in `…`
 * when it was cut. A cut never falls inside a surrogate pair, so an emoji is kept or dropped whole
 * and the result holds no character the original did not.
 *
 * Producers use it for free text they take from elsewhere (a payment provider's message) and put
 * into an event field with a length limit: an event that fails its schema is never published.
 *
 * @example
 * ```ts
 * const limit = maxLengthOf(eventCatalogue.PaymentFailed.data.shape.detail);
 * truncateText(providerMessage, limit); // fits PaymentFailed.detail
 * truncateText('abcdef', 4);            // 'abc…'
 * ```
 */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength < 1) return '';
  let end = maxLength - ELLIPSIS.length;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

/**
 * The most UTF-16 code units a string schema accepts (its tightest `z.maxLength`), or `Infinity`
 * when it sets no limit: producers read a field's limit from its contract, so the two cannot
 * drift apart.
 *
 * @example
 * ```ts
 * maxLengthOf(eventCatalogue.PaymentFailed.data.shape.detail); // 1000
 * maxLengthOf(z.string());                                      // Infinity
 * ```
 */
export function maxLengthOf(schema: z.core.$ZodType): number {
  // zod/mini schemas have no `.maxLength` getter: read the limit from the schema's own checks.
  let maximum = Number.POSITIVE_INFINITY;
  for (const check of schema._zod.def.checks ?? []) {
    const def = check._zod.def;
    if (def.check === 'max_length') {
      maximum = Math.min(maximum, (def as z.core.$ZodCheckMaxLengthDef).maximum);
    }
  }
  return maximum;
}

export interface SummariseListOptions {
  /** The most UTF-16 code units the summary may have: the limit of the field it goes into. */
  maxLength: number;
  /** Between two items; `'; '` by default. */
  separator?: string;
  /**
   * Written before the items when not all of them fit, so the reader still learns how many there
   * were, e.g. `(count) => \`${count} lines unavailable: \``.
   */
  heading?: (count: number) => string;
}

/**
 * Items joined into one text that fits a length limit. When they all fit, they are simply
 * joined. Otherwise the summary is the heading, as many whole items as fit, and `and N more`; if
 * not even the first item fits, it is cut (see {@link truncateText}). Whatever the items, the
 * result is at most `maxLength` code units long.
 *
 * @example
 * ```ts
 * summariseList(['a is out of stock', 'b is not in the catalog', …10 more], {
 *   maxLength: 60,
 *   heading: (count) => `${count} lines unavailable: `,
 * });
 * // '12 lines unavailable: a is out of stock and 11 more'
 * ```
 */
export function summariseList(items: readonly string[], options: SummariseListOptions): string {
  const { maxLength } = options;
  const separator = options.separator ?? '; ';
  const all = items.join(separator);
  if (all.length <= maxLength) return all;

  const heading = options.heading?.(items.length) ?? '';
  const more = (count: number) => ` and ${count} more`;
  // Grow the shown prefix while it, the heading and "and N more" still fit.
  let shown = 0;
  let shownLength = 0;
  for (const item of items) {
    const nextLength = shownLength + (shown > 0 ? separator.length : 0) + item.length;
    const remaining = items.length - shown - 1;
    const total = heading.length + nextLength + (remaining > 0 ? more(remaining).length : 0);
    if (total > maxLength) break;
    shown++;
    shownLength = nextLength;
  }
  if (shown > 0) {
    return `${heading}${items.slice(0, shown).join(separator)}${more(items.length - shown)}`;
  }
  const tail = items.length > 1 ? more(items.length - 1) : '';
  const room = maxLength - heading.length - tail.length;
  const summary = `${heading}${truncateText(items[0] ?? '', Math.max(room, 1))}${tail}`;
  return truncateText(summary, maxLength);
}
