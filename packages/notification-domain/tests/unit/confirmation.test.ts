import { renderConfirmationEmail } from '../../src/templates/confirmation';
import { ESCAPED_MARKUP, MARKUP, orderConfirmed } from '../helpers/fixtures';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('Template: confirmation', () => {
  const data = orderConfirmed({
    orderId: 'order-42',
    lines: [
      { productId: 'prod-espresso-beans', quantity: 2, unitPrice: eur(1450) },
      { productId: 'prod-grinder', quantity: 1, unitPrice: eur(129900) },
    ],
    total: eur(132800),
  }).data;

  /** The HTML rows of the lines table, each as its cell texts. */
  const tableRows = (markup: string) =>
    [
      ...(markup.match(/<tbody>([\s\S]*)<\/tbody>/)?.[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g),
    ].map(([, row]) => [...(row ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map(([, cell]) => cell));

  it('names the order in the subject', () => {
    // Act
    const email = renderConfirmationEmail(data);

    // Assess
    expect(email.subject).toBe('Your order order-42 is confirmed');
  });

  it('lists every line with quantity, unit price and line total, then the total, in the text part', () => {
    // Act
    const email = renderConfirmationEmail(data);

    // Assess
    expect(email.text).toContain(
      [
        '2 × prod-espresso-beans at €14.50 = €29.00',
        '1 × prod-grinder at €1,299.00 = €1,299.00',
        '',
        'Total: €1,328.00',
      ].join('\n'),
    );
  });

  it('lists every line as a table row and the total in the table footer of the HTML part', () => {
    // Act
    const email = renderConfirmationEmail(data);

    // Assess
    expect(tableRows(email.html)).toEqual([
      ['prod-espresso-beans', '2', '€14.50', '€29.00'],
      ['prod-grinder', '1', '€1,299.00', '€1,299.00'],
    ]);
    expect(email.html).toMatch(/<tfoot>[\s\S]*Total[\s\S]*€1,328.00[\s\S]*<\/tfoot>/);
  });

  it('shows the total the event carries rather than recomputing it', () => {
    // Prepare
    const discounted = { ...data, total: eur(100000) };

    // Act
    const email = renderConfirmationEmail(discounted);

    // Assess
    expect(email.text).toContain('Total: €1,000.00');
  });

  it('formats amounts in the minor unit of their currency', () => {
    // Prepare
    const yen = {
      ...data,
      lines: [
        { productId: 'prod-matcha', quantity: 3, unitPrice: { amount: 1200, currency: 'JPY' } },
      ],
      total: { amount: 3600, currency: 'JPY' },
    };

    // Act
    const email = renderConfirmationEmail(yen);

    // Assess
    expect(email.text).toContain('3 × prod-matcha at ¥1,200 = ¥3,600');
    expect(email.text).toContain('Total: ¥3,600');
  });

  it('escapes the order id and every product id in the HTML part', () => {
    // Prepare
    const hostile = {
      ...data,
      orderId: `o-${MARKUP}`,
      lines: [
        { productId: `a-${MARKUP}`, quantity: 1, unitPrice: eur(100) },
        { productId: `b-${MARKUP}`, quantity: 1, unitPrice: eur(100) },
      ],
    };

    // Act
    const email = renderConfirmationEmail(hostile);

    // Assess
    expect(email.html).not.toContain(MARKUP);
    expect(email.html).toContain(`o-${ESCAPED_MARKUP}`);
    expect(tableRows(email.html).map(([productId]) => productId)).toEqual([
      `a-${ESCAPED_MARKUP}`,
      `b-${ESCAPED_MARKUP}`,
    ]);
    expect(email.text).toContain(`1 × a-${MARKUP} at €1.00 = €1.00`);
  });
});
