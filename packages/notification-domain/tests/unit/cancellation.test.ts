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
      sentence: 'Some of the items you ordered were unavailable.',
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

  it.each([
    { count: 2, sentence: '2 items were unavailable.' },
    { count: 1, sentence: '1 item was unavailable.' },
    { count: 50, sentence: '50 items were unavailable.' },
  ])('says how many items were unavailable when the event counts $count', ({ count, sentence }) => {
    // Prepare
    const counted = orderCancelled({
      reason: 'INVENTORY_UNAVAILABLE',
      detail: 'p is not in the catalog',
      unavailableItemCount: count,
    }).data;

    // Act
    const email = renderCancellationEmail(counted);

    // Assess
    expect(email.text).toContain(`\n${sentence}\n`);
    expect(email.html).toContain(`<p>${sentence}</p>`);
    expect(email.text).not.toContain(cancellationReasonSentences.INVENTORY_UNAVAILABLE);
  });

  it('falls back to the sentence without a count when the event carries none', () => {
    // Act
    const email = renderCancellationEmail({ ...data, reason: 'INVENTORY_UNAVAILABLE' });

    // Assess
    expect(data).not.toHaveProperty('unavailableItemCount');
    expect(email.text).toContain('\nSome of the items you ordered were unavailable.\n');
    expect(email.text).not.toMatch(/\d+ items? (was|were) unavailable/);
  });

  it('ignores a count on a cancellation for another reason', () => {
    // Act
    const email = renderCancellationEmail({ ...data, unavailableItemCount: 2 });

    // Assess
    expect(email.text).toContain('\nWe could not take the payment for your order.\n');
    expect(email.text).not.toContain('unavailable');
  });

  it('has a sentence for every reason of the contract', () => {
    // Act
    const reasons = Object.keys(cancellationReasonSentences).sort();

    // Assess
    expect(reasons).toEqual(['INVENTORY_UNAVAILABLE', 'PAYMENT_FAILED']);
  });

  it.each([
    {
      case: "inventory's report on a product id the client made up",
      reason: 'INVENTORY_UNAVAILABLE',
      detail: 'prod-win-a-prize.example.com is not in the catalog',
      echoed: 'prod-win-a-prize.example.com',
    },
    {
      case: "the payment provider's message",
      reason: 'PAYMENT_FAILED',
      detail: 'Your card was declined. (card_declined, insufficient_funds)',
      echoed: 'declined',
    },
  ] as const)('never shows the event detail: $case', ({ reason, detail, echoed }) => {
    // Act
    const email = renderCancellationEmail(orderCancelled({ reason, detail }).data);

    // Assess
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toContain(echoed);
      expect(part).not.toContain('Details');
    }
  });

  it('names no product of the order: the client may have sent ids the catalog does not know', () => {
    // Prepare
    const unknown = {
      ...data,
      reason: 'INVENTORY_UNAVAILABLE',
      lines: [
        {
          productId: 'prod-espresso-beans',
          quantity: 2,
          unitPrice: { amount: 1450, currency: 'EUR' },
        },
        { productId: 'call-0800-SCAM', quantity: 1, unitPrice: { amount: 1, currency: 'EUR' } },
      ],
    } as const;

    // Act
    const email = renderCancellationEmail(unknown);

    // Assess
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toContain('prod-espresso-beans');
      expect(part).not.toContain('call-0800-SCAM');
    }
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

  it('escapes the order id in the HTML part, and only there', () => {
    // Prepare
    const hostile = { ...data, orderId: `o-${MARKUP}` };

    // Act
    const email = renderCancellationEmail(hostile);

    // Assess
    expect(email.html).not.toContain(MARKUP);
    expect(email.html).toContain(`o-${ESCAPED_MARKUP}`);
    expect(email.text).toContain(`Order: o-${MARKUP}\n`);
  });
});
