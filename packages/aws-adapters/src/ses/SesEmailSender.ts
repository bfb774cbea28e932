import {
  type MessageHeader,
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
  /**
   * Any strings; made valid SES tag names and values on the way out. `correlationId` also goes
   * into the message itself, as the `X-Correlation-Id` header.
   */
  tags: Record<string, string>;
}

/** The header that carries the flow's correlation id, named as the HTTP API returns it. */
export const CORRELATION_ID_EMAIL_HEADER = 'X-Correlation-Id';

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

// SES takes printable ASCII in header values, and at most 996 characters for name and value.
const HEADER_VALUE_DISALLOWED = /[^\x20-\x7e]/g;
const HEADER_MAX_LENGTH = 996;

/**
 * The headers that tie the email to its flow. Tags reach only SES's own delivery events; a header
 * travels with the message, so the id is in the raw email a support agent or mail log sees.
 */
function toMessageHeaders(tags: Record<string, string>): MessageHeader[] {
  const value = (tags.correlationId ?? '')
    .replace(HEADER_VALUE_DISALLOWED, '_')
    .slice(0, HEADER_MAX_LENGTH - CORRELATION_ID_EMAIL_HEADER.length);
  return value === '' ? [] : [{ Name: CORRELATION_ID_EMAIL_HEADER, Value: value }];
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
 * body, UTF-8, and the correlation id tag as an `X-Correlation-Id` header). The endpoint comes from the SDK's own settings (`AWS_ENDPOINT_URL` locally), so
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
    const headers = toMessageHeaders(email.tags);
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
            ...(headers.length > 0 ? { Headers: headers } : {}),
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
