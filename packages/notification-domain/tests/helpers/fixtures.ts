import { buildEvent, type EventDataInput, eventCatalogue } from '@shop/contracts';

/** Text that breaks the markup, or runs a script, if any template forgets to escape it. */
export const MARKUP = `<img src=x onerror="alert('x')">&amp;`;
/** `MARKUP` as it must appear in the HTML part. */
export const ESCAPED_MARKUP = '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;';

const envelope = {
  correlationId: 'corr-checkout-42',
  eventId: '6f1c2b0a-3d4e-4f5a-8b6c-7d8e9f0a1b2c',
  occurredAt: new Date('2024-05-01T10:00:00.000Z'),
};

export const paymentProcessed = (data: Partial<EventDataInput<'PaymentProcessed'>> = {}) =>
  buildEvent('PaymentProcessed', { ...eventCatalogue.PaymentProcessed.example, ...data }, envelope);

export const orderConfirmed = (data: Partial<EventDataInput<'OrderConfirmed'>> = {}) =>
  buildEvent('OrderConfirmed', { ...eventCatalogue.OrderConfirmed.example, ...data }, envelope);

export const orderCancelled = (data: Partial<EventDataInput<'OrderCancelled'>> = {}) =>
  buildEvent('OrderCancelled', { ...eventCatalogue.OrderCancelled.example, ...data }, envelope);
