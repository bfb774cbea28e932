export { type CustomerEvent, type CustomerEventType, customerEventTypes } from './customerEvents';
export type { EmailSender, NotificationDependencies, OutgoingEmail } from './ports';
export {
  type CancellationData,
  type CancellationReason,
  cancellationReasonSentences,
  renderCancellationEmail,
} from './templates/cancellation';
export { type ConfirmationData, renderConfirmationEmail } from './templates/confirmation';
export { escapeHtml, type HtmlValue, html, SafeHtml } from './templates/html';
export type { RenderedEmail } from './templates/layout';
export { type ReceiptData, renderReceiptEmail } from './templates/receipt';
export {
  type CustomerNotification,
  type EmailKind,
  notifyCustomer,
} from './useCases/notifyCustomer';
