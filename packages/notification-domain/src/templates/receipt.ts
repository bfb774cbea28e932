import { type EventData, formatMoney } from '@shop/contracts';
import { html } from './html';
import { emailLayout, type Fact, factsTable, factsText, type RenderedEmail } from './layout';

/**
 * What a receipt may show: the order id, the amount and the provider's payment id, all written by
 * the shop or its payment provider, never by the client. `event.data` fits as it is.
 */
export type ReceiptData = Pick<EventData<'PaymentProcessed'>, 'orderId' | 'paymentId' | 'amount'>;

/**
 * The payment receipt, sent when PaymentProcessed arrives: which order, how much, and the payment
 * reference the customer quotes to support.
 *
 * @example
 * ```ts
 * const { subject, text, html } = renderReceiptEmail(event.data);
 * subject; // 'Your receipt for order 01JD6Z8Q4J7W6E1N2M3K4P5R6S'
 * ```
 */
export function renderReceiptEmail(data: ReceiptData): RenderedEmail {
  const facts: Fact[] = [
    ['Order', data.orderId],
    ['Amount paid', formatMoney(data.amount)],
    ['Payment reference', data.paymentId],
  ];
  return emailLayout({
    subject: `Your receipt for order ${data.orderId}`,
    text: ['Thank you for your payment.', '', ...factsText(facts)],
    body: html`<h1>Thank you for your payment</h1>
<p>We have received your payment. Please keep this receipt for your records.</p>
${factsTable(facts)}`,
  });
}
