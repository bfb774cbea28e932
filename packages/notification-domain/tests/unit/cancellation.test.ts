import {
  cancellationReasonSentences,
  renderCancellationEmail,
} from '../../src/templates/cancellation';
import { ESCAPED_MARKUP, MARKUP, orderCancelled } from '../helpers/fixtures';

describe('Template: cancellation', () => {
  const data = orderCancelled({
    orderId: 'order-42',
    total: { amount: 2900, currency: 'EUR' },
    reason: 'PAYMENT_FAILED',
    detail: 'The card was declined.',
  }).data;

  it('names the order in the subject', () => {
    // Act
    const email = renderCancellationEmail(data);

    // Assess
    expect(email.subject).toBe('Your order order-42 has been cancelled');
  });

  it.each([
    {
      reason: 'INVENTORY_UNAVAILABLE',
      sentence: 'Some of the items you ordered are no longer in stock.',
    },
    { reason: 'PAYMENT_FAILED', sentence: 'We could not take the payment for your order.' },
  ] as const)('explains $reason in words, never as the code', ({ reason, sentence }) => {
    // Act
    const email = renderCancellationEmail({ ...data, reason });

    // Assess
    expect(email.text).toContain(`${sentence}\n`);
    expect(email.html).toContain(`<p>${sentence}</p>`);
    expect(email.text).not.toContain(reason);
    expect(email.html).not.toContain(reason);
  });

  it('has a sentence for every reason of the contract', () => {
    // Act
    const reasons = Object.keys(cancellationReasonSentences).sort();

    // Assess
    expect(reasons).toEqual(['INVENTORY_UNAVAILABLE', 'PAYMENT_FAILED']);
  });

  it('adds the event detail after the reason', () => {
    // Act
    const email = renderCancellationEmail(data);

    // Assess
    expect(email.text).toContain(
      'We could not take the payment for your order.\nDetails: The card was declined.\n',
    );
    expect(email.html).toContain('<p>Details: The card was declined.</p>');
  });

  it('leaves out the details line when the event has no detail', () => {
    // Act
    const email = renderCancellationEmail({ ...data, detail: '  ' });

    // Assess
    expect(email.text).not.toContain('Details');
    expect(email.html).not.toContain('Details');
  });

  it('states the order total and that any payment is refunded', () => {
    // Act
    const email = renderCancellationEmail({ ...data, total: { amount: 1234567, currency: 'USD' } });

    // Assess
    expect(email.text).toContain('Order: order-42\nOrder total: $12,345.67\n');
    expect(email.html).toMatch(/>Order total<\/th><td[^>]*>\$12,345.67<\/td>/);
    const refund = 'Any payment taken for this order is refunded in full';
    expect(email.text).toContain(refund);
    expect(email.html).toContain(refund);
  });

  it('escapes the order id and the detail in the HTML part', () => {
    // Prepare
    const hostile = { ...data, orderId: `o-${MARKUP}`, detail: `d-${MARKUP}` };

    // Act
    const email = renderCancellationEmail(hostile);

    // Assess
    expect(email.html).not.toContain(MARKUP);
    expect(email.html).toContain(`o-${ESCAPED_MARKUP}`);
    expect(email.html).toContain(`<p>Details: d-${ESCAPED_MARKUP}</p>`);
    expect(email.text).toContain(`Details: d-${MARKUP}`);
  });
});
