import { type EventData, formatMoney } from '@shop/contracts';
import { html } from './html';
import { emailLayout, type Fact, factsTable, factsText, type RenderedEmail } from './layout';

/**
 * What a cancellation notice may show: the fields of OrderCancelled the shop wrote itself. Its
 * `detail` is left out on purpose: it is free text assembled from what the client sent (product
 * ids the catalog does not know) and from the payment provider's messages; it stays on the order's
 * timeline for support. Its `lines` are left out too: an order cancelled for unavailable items
 * may name products that do not exist; how many were unavailable is a count the order service
 * made, so it may be shown. `event.data` fits as it is.
 */
export type CancellationData = Pick<
  EventData<'OrderCancelled'>,
  'orderId' | 'reason' | 'total' | 'unavailableItemCount'
>;

/** Why an order was cancelled, as the order service reports it. */
export type CancellationReason = CancellationData['reason'];

/**
 * The sentence a customer reads for each reason code. A `Record` over the contract's enum, so a
 * new reason fails the type check here instead of reaching a customer as a bare code. Inventory
 * refuses a line when it is out of stock, not in the catalog or no longer at the quoted price:
 * "unavailable" covers all three without repeating what the client sent. An event that says how
 * many items were unavailable gets a sentence with the count instead (see {@link reasonSentence}).
 */
export const cancellationReasonSentences: Readonly<Record<CancellationReason, string>> = {
  INVENTORY_UNAVAILABLE: 'Some of the items you ordered were unavailable.',
  PAYMENT_FAILED: 'We could not take the payment for your order.',
};

/**
 * Why the order was cancelled, in words: with the number of unavailable items when the event
 * carries it ("2 items were unavailable."), otherwise the reason code's sentence.
 */
function reasonSentence({ reason, unavailableItemCount: count }: CancellationData): string {
  if (reason !== 'INVENTORY_UNAVAILABLE' || count === undefined) {
    return cancellationReasonSentences[reason];
  }
  return count === 1 ? '1 item was unavailable.' : `${count} items were unavailable.`;
}

const REFUND_NOTICE =
  'Any payment taken for this order is refunded in full; you do not need to do anything.';

/**
 * The cancellation notice, sent when OrderCancelled arrives: why (the reason in words), the order
 * total, and that any payment is refunded. It shows only the order id, the reason in words (with
 * how many items were unavailable, when the event says) and the total: never the event's `detail`
 * or a product id (see {@link CancellationData}).
 *
 * @example
 * ```ts
 * const { subject, text, html } = renderCancellationEmail(event.data);
 * subject; // 'Your order 01JD6Z8Q4J7W6E1N2M3K4P5R6S has been cancelled'
 * ```
 */
export function renderCancellationEmail(data: CancellationData): RenderedEmail {
  const reason = reasonSentence(data);
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
      '',
      ...factsText(facts),
      '',
      REFUND_NOTICE,
    ],
    body: html`<h1>Your order has been cancelled</h1>
<p>We are sorry: we had to cancel your order.</p>
<p>${reason}</p>
${factsTable(facts)}
<p>${REFUND_NOTICE}</p>`,
  });
}
