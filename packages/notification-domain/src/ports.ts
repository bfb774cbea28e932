/** One email ready to go out. */
export interface OutgoingEmail {
  /** The sender address; it must be an identity the email provider has verified. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * Labels that follow the email into the provider's delivery events (bounces, complaints), so
   * one can be traced back to its order and flow. Values are plain strings; an adapter adapts them
   * to its provider's alphabet.
   */
  tags: Record<string, string>;
}

/** Port: sends one email. Implemented over SES v2 by `SesEmailSender` in `@shop/aws-adapters`. */
export interface EmailSender {
  /**
   * Hands the email to the provider. Resolves with the provider's message id once it has accepted
   * it; rejects when it did not, so the caller can retry.
   */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/** What `notifyCustomer` needs. */
export interface NotificationDependencies {
  emailSender: EmailSender;
  /** The From address of every customer email, e.g. `orders@shop.example.com`. */
  senderAddress: string;
}
