import { maxLengthOf, summariseList, truncateText } from '../../src/boundedText';
import { eventCatalogue } from '../../src/catalogue';
import * as z from '../../src/zod';

const hasLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('Function: truncateText', () => {
  it('returns text that fits unchanged', () => {
    expect(truncateText('The card was declined.', 22)).toBe('The card was declined.');
  });

  it('cuts longer text to the limit, ending in an ellipsis', () => {
    expect(truncateText('abcdef', 4)).toBe('abc…');
  });

  it('never splits a surrogate pair, whatever the limit', () => {
    // Prepare: emoji are two UTF-16 code units each.
    const text = 'a☕😀b😀😀c'.repeat(5);

    for (let limit = 0; limit <= text.length + 1; limit++) {
      // Act
      const cut = truncateText(text, limit);

      // Assess
      expect(cut.length).toBeLessThanOrEqual(limit);
      expect(hasLoneSurrogate(cut)).toBe(false);
    }
  });

  it('returns nothing for a limit below one', () => {
    expect(truncateText('abc', 0)).toBe('');
  });
});

describe('Function: summariseList', () => {
  const heading = (count: number) => `${count} lines unavailable: `;

  it('joins the items unchanged when they fit', () => {
    expect(
      summariseList(['a is out of stock', 'b is not in the catalog'], { maxLength: 100 }),
    ).toBe('a is out of stock; b is not in the catalog');
  });

  it('says how many there were and how many it left out when they do not fit', () => {
    // Prepare
    const items = Array.from({ length: 12 }, (_, i) => `p${i} is not in the catalog`);

    // Act
    const summary = summariseList(items, { maxLength: 100, separator: ', ', heading });

    // Assess
    expect(summary).toBe(
      '12 lines unavailable: p0 is not in the catalog, p1 is not in the catalog and 10 more',
    );
  });

  it('cuts the first item when not even it fits, still naming the rest', () => {
    const summary = summariseList(['x'.repeat(500), 'y'], { maxLength: 40, heading });

    expect(summary).toBe(`2 lines unavailable: ${'x'.repeat(7)}… and 1 more`);
    expect(summary).toHaveLength(40);
  });

  it('stays within the limit for any limit, item count and item length', () => {
    for (const count of [1, 2, 7, 50]) {
      for (const itemLength of [0, 1, 30, 200, 1500]) {
        const items = Array.from({ length: count }, (_, i) => `${i}😀`.padEnd(itemLength, 'z'));
        for (const maxLength of [1, 5, 20, 33, 100, 999, 1000]) {
          const summary = summariseList(items, { maxLength, heading });

          expect(summary.length).toBeLessThanOrEqual(maxLength);
          expect(hasLoneSurrogate(summary)).toBe(false);
        }
      }
    }
  });

  it('returns an empty text for no items', () => {
    expect(summariseList([], { maxLength: 10, heading })).toBe('');
  });
});

describe('Function: maxLengthOf', () => {
  it('reads the limit a contract sets on a field', () => {
    expect(maxLengthOf(eventCatalogue.OrderCancelled.data.shape.detail)).toBe(1000);
    expect(maxLengthOf(eventCatalogue.PaymentFailed.data.shape.detail)).toBe(1000);
  });

  it('takes the tightest of several limits', () => {
    expect(maxLengthOf(z.string().check(z.maxLength(200), z.minLength(1), z.maxLength(64)))).toBe(
      64,
    );
  });

  it('is Infinity for a field without a limit', () => {
    expect(maxLengthOf(z.string().check(z.minLength(1)))).toBe(Number.POSITIVE_INFINITY);
    expect(maxLengthOf(z.string())).toBe(Number.POSITIVE_INFINITY);
  });
});
