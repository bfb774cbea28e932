import {
  type MessageTag,
  SESv2Client,
  type SESv2ClientConfig,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';

export type SesEmailSenderOptions = { client: SESv2Client } | { config?: SESv2ClientConfig };

/**
 * One email as `SesEmailSender` sends it. The same shape as the `OutgoingEmail` of
 * `@shop/notification-domain`, so the sender fits that port without this package depending on a
 * domain.
 */
export interface EmailMessage {
  /** A verified SES identity (the address, or an address at a verified domain). */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Any strings; made valid SES tag names and values on the way out. */
  tags: Record<string, string>;
}

// SES accepts only these in message tag names and values (API reference, MessageTag), up to 256.
const TAG_DISALLOWED = /[^A-Za-z0-9_-]/g;
const TAG_MAX_LENGTH = 256;

/**
 * Makes a string a valid SES message tag name or value: every other character becomes `_`, and
 * it is cut to 256 characters. A tag SES rejects would fail the whole send, so an odd correlation
 * id must not cost the customer their email.
 *
 * @example
 * ```ts
 * toSesTagText('corr 42/retry'); // 'corr_42_retry'
 * ```
 */
export function toSesTagText(text: string): string {
  return text.replace(TAG_DISALLOWED, '_').slice(0, TAG_MAX_LENGTH);
}

function toMessageTags(tags: Record<string, string>): MessageTag[] {
  return (
    Object.entries(tags)
      .map(([name, value]) => ({ Name: toSesTagText(name), Value: toSesTagText(value) }))
      // SES requires both to be non-empty; an empty label carries nothing worth failing for.
      .filter((tag) => tag.Name !== '' && tag.Value !== '')
  );
}

/**
 * Sends emails through SES v2 (`SendEmail`, simple content: a subject with a text and an HTML
 * body, UTF-8). The endpoint comes from the SDK's own settings (`AWS_ENDPOINT_URL` locally), so
 * the same code sends through the local SES emulator and through AWS.
 *
 * @example
 * ```ts
 * const emails = new SesEmailSender();                   // Lambda
 * const emails = new SesEmailSender({ client: mocked }); // tests
 * const { messageId } = await emails.send({
 *   from: 'orders@shop.example.com', to: 'ada@example.com',
 *   subject: 'Your receipt', text: '…', html: '<p>…</p>', tags: { orderId: 'o-1' },
 * });
 * ```
 */
export class SesEmailSender {
  readonly #client: SESv2Client;

  constructor(options: SesEmailSenderOptions = {}) {
    this.#client = 'client' in options ? options.client : new SESv2Client(options.config ?? {});
  }

  /** @throws the SDK's error when SES does not accept the email, so the caller can retry. */
  async send(email: EmailMessage): Promise<{ messageId: string }> {
    const response = await this.#client.send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: email.text, Charset: 'UTF-8' },
              Html: { Data: email.html, Charset: 'UTF-8' },
            },
          },
        },
        EmailTags: toMessageTags(email.tags),
      }),
    );
    // SES answers every accepted email with an id; without one the email still went out, and
    // failing here would only get it sent twice.
    return { messageId: response.MessageId ?? '' };
  }
}
