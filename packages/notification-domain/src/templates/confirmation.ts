import { type EventData, formatMoney, lineTotal } from '@shop/contracts';
import { html } from './html';
import { AMOUNT_CELL_STYLE, emailLayout, type RenderedEmail, TEXT_CELL_STYLE } from './layout';

/**
 * What an order confirmation may show: the order id, its lines and its total. Every product id of
 * a confirmed order is in the catalog (inventory reserved each line at its catalog price), so the
 * lines may be listed; the customer's id and address are not shown. `event.data` fits as it is.
 */
export type ConfirmationData = Pick<EventData<'OrderConfirmed'>, 'orderId' | 'lines' | 'total'>;

/**
 * The order confirmation, sent when OrderConfirmed arrives: every line with its quantity, unit
 * price and line total, then the order total.
 *
 * @example
 * ```ts
 * const { subject, text, html } = renderConfirmationEmail(event.data);
 * subject; // 'Your order 01JD6Z8Q4J7W6E1N2M3K4P5R6S is confirmed'
 * ```
 */
export function renderConfirmationEmail(data: ConfirmationData): RenderedEmail {
  const lines = data.lines.map((line) => ({
    productId: line.productId,
    quantity: line.quantity,
    unitPrice: formatMoney(line.unitPrice),
    lineTotal: formatMoney(lineTotal(line)),
  }));
  const total = formatMoney(data.total);

  const rows = lines.map(
    (line) => html`<tr>
<td style="${TEXT_CELL_STYLE}">${line.productId}</td>
<td style="${AMOUNT_CELL_STYLE}">${line.quantity}</td>
<td style="${AMOUNT_CELL_STYLE}">${line.unitPrice}</td>
<td style="${AMOUNT_CELL_STYLE}">${line.lineTotal}</td>
</tr>`,
  );
  return emailLayout({
    subject: `Your order ${data.orderId} is confirmed`,
    text: [
      'Thank you for your order: your items are reserved and your payment went through.',
      '',
      `Order: ${data.orderId}`,
      '',
      ...lines.map(
        (line) => `${line.quantity} × ${line.productId} at ${line.unitPrice} = ${line.lineTotal}`,
      ),
      '',
      `Total: ${total}`,
    ],
    body: html`<h1>Your order is confirmed</h1>
<p>Thank you for your order: your items are reserved and your payment went through.</p>
<p>Order: <strong>${data.orderId}</strong></p>
<table>
<thead><tr>
<th scope="col" style="${TEXT_CELL_STYLE}">Item</th>
<th scope="col" style="${AMOUNT_CELL_STYLE}">Quantity</th>
<th scope="col" style="${AMOUNT_CELL_STYLE}">Unit price</th>
<th scope="col" style="${AMOUNT_CELL_STYLE}">Line total</th>
</tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr>
<th scope="row" colspan="3" style="${TEXT_CELL_STYLE}">Total</th>
<td style="${AMOUNT_CELL_STYLE}"><strong>${total}</strong></td>
</tr></tfoot>
</table>`,
  });
}
