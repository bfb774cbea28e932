import { renderCancellationEmail } from '../../src/templates/cancellation';
import { renderConfirmationEmail } from '../../src/templates/confirmation';
import { renderReceiptEmail } from '../../src/templates/receipt';
import { notifyCustomer } from '../../src/useCases/notifyCustomer';
import { InMemoryEmailSender } from '../helpers/fakes';
import { orderCancelled, orderConfirmed, paymentProcessed } from '../helpers/fixtures';

const SENDER = 'orders@shop.example.com';

function dependencies() {
  const emailSender = new InMemoryEmailSender();
  return { deps: { emailSender, senderAddress: SENDER }, emailSender };
}

const receiptEvent = paymentProcessed({ customerEmail: 'ada@example.com' });
const confirmationEvent = orderConfirmed({ customerEmail: 'ada@example.com' });
const cancellationEvent = orderCancelled({ customerEmail: 'ada@example.com' });

describe('Function: notifyCustomer', () => {
  it.each([
    {
      eventType: 'PaymentProcessed',
      event: receiptEvent,
      kind: 'receipt',
      expected: renderReceiptEmail(receiptEvent.data),
    },
    {
      eventType: 'OrderConfirmed',
      event: confirmationEvent,
      kind: 'confirmation',
      expected: renderConfirmationEmail(confirmationEvent.data),
    },
    {
      eventType: 'OrderCancelled',
      event: cancellationEvent,
      kind: 'cancellation',
      expected: renderCancellationEmail(cancellationEvent.data),
    },
  ])(
    'sends the $kind email for $eventType to the customer',
    async ({ eventType, event, kind, expected }) => {
      // Prepare
      const { deps, emailSender } = dependencies();

      // Act
      const notification = await notifyCustomer(deps, event);

      // Assess
      expect(emailSender.sent).toHaveLength(1);
      expect(emailSender.sent[0]).toEqual({
        from: SENDER,
        to: 'ada@example.com',
        subject: expected.subject,
        text: expected.text,
        html: expected.html,
        tags: expect.objectContaining({ eventType, emailKind: kind }),
      });
      expect(notification).toEqual({ kind, messageId: 'message-1' });
    },
  );

  it('tags the email with the correlation id, event id and type, order id and kind', async () => {
    // Prepare
    const { deps, emailSender } = dependencies();
    const event = orderConfirmed({ orderId: 'order-42' });

    // Act
    await notifyCustomer(deps, event);

    // Assess
    expect(emailSender.sent[0]?.tags).toEqual({
      correlationId: 'corr-checkout-42',
      eventId: '6f1c2b0a-3d4e-4f5a-8b6c-7d8e9f0a1b2c',
      eventType: 'OrderConfirmed',
      orderId: 'order-42',
      emailKind: 'confirmation',
    });
  });

  it('sends to the address of the event, not to any other', async () => {
    // Prepare
    const { deps, emailSender } = dependencies();

    // Act
    await notifyCustomer(deps, orderCancelled({ customerEmail: 'grace@example.org' }));
    await notifyCustomer(deps, paymentProcessed({ customerEmail: 'alan@example.net' }));

    // Assess
    expect(emailSender.sent.map((email) => email.to)).toEqual([
      'grace@example.org',
      'alan@example.net',
    ]);
  });

  it('emails a cancellation without the client-written text the event carries', async () => {
    // Prepare
    const { deps, emailSender } = dependencies();
    const event = orderCancelled({
      reason: 'INVENTORY_UNAVAILABLE',
      lines: [
        { productId: 'visit-evil.example', quantity: 1, unitPrice: { amount: 1, currency: 'EUR' } },
      ],
      detail: 'visit-evil.example is not in the catalog',
    });

    // Act
    await notifyCustomer(deps, event);

    // Assess
    const [email] = emailSender.sent;
    expect(email?.to).toBe(event.data.customerEmail);
    expect([email?.subject, email?.text, email?.html].join('\n')).not.toContain('visit-evil');
  });

  it('emails how many items were unavailable when the order service counted them', async () => {
    // Prepare
    const { deps, emailSender } = dependencies();
    const event = orderCancelled({
      reason: 'INVENTORY_UNAVAILABLE',
      detail: '2 lines unavailable: a is not in the catalog; b is not in the catalog',
      unavailableItemCount: 2,
    });

    // Act
    await notifyCustomer(deps, event);

    // Assess
    const [email] = emailSender.sent;
    expect(email?.text).toContain('\n2 items were unavailable.\n');
    expect(email?.html).toContain('<p>2 items were unavailable.</p>');
  });

  it('sends again when called again: deduplication is the caller’s', async () => {
    // Prepare
    const { deps, emailSender } = dependencies();
    const event = paymentProcessed();

    // Act
    await notifyCustomer(deps, event);
    const second = await notifyCustomer(deps, event);

    // Assess
    expect(emailSender.sent).toHaveLength(2);
    expect(second.messageId).toBe('message-2');
  });

  it('rejects with the sender’s error so the event is retried', async () => {
    // Prepare
    const { deps, emailSender } = dependencies();
    emailSender.failWith = new Error('provider unavailable');

    // Act & Assess
    await expect(notifyCustomer(deps, orderConfirmed())).rejects.toThrow('provider unavailable');
    expect(emailSender.sent).toEqual([]);
  });
});
