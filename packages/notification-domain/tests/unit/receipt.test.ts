import { renderReceiptEmail } from '../../src/templates/receipt';
import { ESCAPED_MARKUP, MARKUP, paymentProcessed } from '../helpers/fixtures';

describe('Template: receipt', () => {
  const data = paymentProcessed({
    orderId: 'order-42',
    paymentId: 'pay_77',
    amount: { amount: 123456, currency: 'EUR' },
  }).data;

  it('names the order in the subject', () => {
    // Act
    const email = renderReceiptEmail(data);

    // Assess
    expect(email.subject).toBe('Your receipt for order order-42');
  });

  it('states the order, the amount paid and the payment reference in the text part', () => {
    // Act
    const email = renderReceiptEmail(data);

    // Assess
    expect(email.text).toContain('Thank you for your payment.');
    expect(email.text).toContain('Order: order-42\n');
    expect(email.text).toContain('Amount paid: €1,234.56\n');
    expect(email.text).toContain('Payment reference: pay_77\n');
  });

  it('states the same facts in the HTML part', () => {
    // Act
    const email = renderReceiptEmail(data);

    // Assess
    expect(email.html).toMatch(/^<!doctype html>/);
    expect(email.html).toContain('<title>Your receipt for order order-42</title>');
    expect(email.html).toMatch(/>Order<\/th><td[^>]*>order-42<\/td>/);
    expect(email.html).toMatch(/>Amount paid<\/th><td[^>]*>€1,234.56<\/td>/);
    expect(email.html).toMatch(/>Payment reference<\/th><td[^>]*>pay_77<\/td>/);
  });

  it('formats the amount in the minor unit of its own currency', () => {
    // Act
    const email = renderReceiptEmail({ ...data, amount: { amount: 4500, currency: 'JPY' } });

    // Assess
    expect(email.text).toContain('Amount paid: ¥4,500\n');
  });

  it('escapes the order id and payment id in the HTML part, and only there', () => {
    // Prepare
    const hostile = { ...data, orderId: `o-${MARKUP}`, paymentId: `p-${MARKUP}` };

    // Act
    const email = renderReceiptEmail(hostile);

    // Assess
    expect(email.html).not.toContain(MARKUP);
    expect(email.html).toContain(`o-${ESCAPED_MARKUP}`);
    expect(email.html).toContain(`p-${ESCAPED_MARKUP}`);
    expect(email.text).toContain(`Order: o-${MARKUP}`);
    expect(email.subject).toBe(`Your receipt for order o-${MARKUP}`);
  });
});
