import type { CustomerEvent } from '../customerEvents';
import type { NotificationDependencies } from '../ports';
import { renderCancellationEmail } from '../templates/cancellation';
import { renderConfirmationEmail } from '../templates/confirmation';
import type { RenderedEmail } from '../templates/layout';
import { renderReceiptEmail } from '../templates/receipt';

/** Which template an email was rendered from. */
export type EmailKind = 'receipt' | 'confirmation' | 'cancellation';

/** What `notifyCustomer` sent. */
export interface CustomerNotification {
  kind: EmailKind;
  /** The provider's id of the email, to find it in its delivery events. */
  messageId: string;
}

function renderFor(event: CustomerEvent): { kind: EmailKind; email: RenderedEmail } {
  switch (event.eventType) {
    case 'PaymentProcessed':
      return { kind: 'receipt', email: renderReceiptEmail(event.data) };
    case 'OrderConfirmed':
      return { kind: 'confirmation', email: renderConfirmationEmail(event.data) };
    case 'OrderCancelled':
      return { kind: 'cancellation', email: renderCancellationEmail(event.data) };
    default: {
      // A new customer event type fails the type check here until it has a template.
      const unhandled: never = event;
      throw new TypeError(`no email template for ${(unhandled as CustomerEvent).eventType}`);
    }
  }
}

/**
 * Emails the customer about an event of their order.
 *
 * Input: a parsed PaymentProcessed, OrderConfirmed or OrderCancelled.
 * Output: which email was sent and the provider's message id.
 * 1. Render the template of the event type: a receipt, a confirmation or a cancellation notice.
 * 2. Send one email from the sender address to the event's `customerEmail` and to no one else,
 *    tagged with the flow's correlation id, the event id and type, and the order id.
 *
 * The recipient is the order's owner: the order service sets `customerEmail` from the verified
 * `email` claim of the ID token that placed the order (a request body cannot choose it), and the
 * payment service copies it from OrderCreated. The templates show only what the shop wrote or the
 * catalog knows, never the client's free text (see each template's data type).
 *
 * It sends every time it is called: at-least-once delivery is deduplicated by the caller (the
 * consumer's idempotency table, keyed on `eventId`).
 *
 * @example
 * ```ts
 * const { kind, messageId } = await notifyCustomer(
 *   { emailSender: new SesEmailSender(), senderAddress: 'orders@shop.example.com' },
 *   event,
 * );
 * ```
 * @throws whatever the EmailSender throws, so the event is retried.
 */
export async function notifyCustomer(
  deps: NotificationDependencies,
  event: CustomerEvent,
): Promise<CustomerNotification> {
  const { kind, email } = renderFor(event);
  const { messageId } = await deps.emailSender.send({
    from: deps.senderAddress,
    to: event.data.customerEmail,
    ...email,
    tags: {
      emailKind: kind,
      correlationId: event.correlationId,
      eventId: event.eventId,
      eventType: event.eventType,
      orderId: event.data.orderId,
    },
  });
  return { kind, messageId };
}
