import type { EventData } from '@shop/contracts';
import { formatMoney } from '../money';
import { html } from './html';
import { emailLayout, type Fact, factsTable, factsText, type RenderedEmail } from './layout';

/** What a cancellation notice needs: the OrderCancelled payload. */
export type CancellationData = EventData<'OrderCancelled'>;

/** Why an order was cancelled, as the order service reports it. */
export type CancellationReason = CancellationData['reason'];

/**
 * The sentence a customer reads for each reason code. A `Record` over the contract's enum, so a
 * new reason fails the type check here instead of reaching a customer as a bare code.
 */
export const cancellationReasonSentences: Readonly<Record<CancellationReason, string>> = {
  INVENTORY_UNAVAILABLE: 'Some of the items you ordered are no longer in stock.',
  PAYMENT_FAILED: 'We could not take the payment for your order.',
};

const REFUND_NOTICE =
  'Any payment taken for this order is refunded in full; you do not need to do anything.';

/**
 * The cancellation notice, sent when OrderCancelled arrives: why (the reason in words, then the
 * event's detail), the order total, and that any payment is refunded.
 *
 * @example
 * ```ts
 * const { subject, text, html } = renderCancellationEmail(event.data);
 * subject; // 'Your order 01JD6Z8Q4J7W6E1N2M3K4P5R6S has been cancelled'
 * ```
 */
export function renderCancellationEmail(data: CancellationData): RenderedEmail {
  const reason = cancellationReasonSentences[data.reason];
  // `detail` may be empty; a "Details:" line with nothing after it reads like a bug.
  const detail = data.detail.trim();
  const facts: Fact[] = [
    ['Order', data.orderId],
    ['Order total', formatMoney(data.total)],
  ];
  return emailLayout({
    subject: `Your order ${data.orderId} has been cancelled`,
    text: [
      'We are sorry: we had to cancel your order.',
      '',
      reason,
      ...(detail ? [`Details: ${detail}`] : []),
      '',
      ...factsText(facts),
      '',
      REFUND_NOTICE,
    ],
    body: html`<h1>Your order has been cancelled</h1>
<p>We are sorry: we had to cancel your order.</p>
<p>${reason}</p>
${detail ? html`<p>Details: ${detail}</p>` : ''}
${factsTable(facts)}
<p>${REFUND_NOTICE}</p>`,
  });
}
