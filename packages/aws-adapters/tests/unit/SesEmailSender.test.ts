import 'aws-sdk-client-mock-jest';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CORRELATION_ID_EMAIL_HEADER,
  type EmailMessage,
  SesEmailSender,
  toSesTagText,
} from '../../src/ses/SesEmailSender';

const email = (overrides: Partial<EmailMessage> = {}): EmailMessage => ({
  from: 'orders@shop.example.com',
  to: 'ada@example.com',
  subject: 'Your order 42 is confirmed',
  text: 'Thank you for your order.\n',
  html: '<!doctype html><p>Thank you for your order.</p>',
  tags: { eventType: 'OrderConfirmed', orderId: 'order-42' },
  ...overrides,
});

describe('Class: SesEmailSender', () => {
  const ses = mockClient(SESv2Client);

  beforeEach(() => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
  });

  afterEach(() => {
    ses.reset();
  });

  it('sends the subject, text and HTML bodies from the sender to the recipient', async () => {
    // Prepare
    const sender = new SesEmailSender();

    // Act
    await sender.send(email());

    // Assess
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: 'orders@shop.example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Your order 42 is confirmed', Charset: 'UTF-8' },
          Body: {
            Text: { Data: 'Thank you for your order.\n', Charset: 'UTF-8' },
            Html: { Data: '<!doctype html><p>Thank you for your order.</p>', Charset: 'UTF-8' },
          },
        },
      },
    });
  });

  it('resolves with the message id SES gives the email', async () => {
    // Prepare
    const sender = new SesEmailSender();

    // Act
    const result = await sender.send(email());

    // Assess
    expect(result).toEqual({ messageId: 'ses-message-1' });
  });

  it('sends every tag as an SES email tag', async () => {
    // Prepare
    const sender = new SesEmailSender();

    // Act
    await sender.send(email({ tags: { eventType: 'OrderConfirmed', orderId: 'order-42' } }));

    // Assess
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      EmailTags: [
        { Name: 'eventType', Value: 'OrderConfirmed' },
        { Name: 'orderId', Value: 'order-42' },
      ],
    });
  });

  it('replaces the characters SES refuses in tag names and values', async () => {
    // Prepare
    const sender = new SesEmailSender();

    // Act
    await sender.send(
      email({ tags: { 'correlation id': 'corr 42/retry#1', orderId: 'ördér.42@shop' } }),
    );

    // Assess
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      EmailTags: [
        { Name: 'correlation_id', Value: 'corr_42_retry_1' },
        { Name: 'orderId', Value: '_rd_r_42_shop' },
      ],
    });
  });

  it('leaves out a tag whose name or value is empty, which SES would reject', async () => {
    // Prepare
    const sender = new SesEmailSender();

    // Act
    await sender.send(email({ tags: { orderId: '', '': 'orphan', eventId: 'e-1' } }));

    // Assess
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      EmailTags: [{ Name: 'eventId', Value: 'e-1' }],
    });
  });

  it('puts the correlation id tag into the message as an X-Correlation-Id header', async () => {
    // Prepare
    const sender = new SesEmailSender();

    // Act
    await sender.send(email({ tags: { correlationId: 'corr 42/retry#1', orderId: 'order-42' } }));

    // Assess
    expect(CORRELATION_ID_EMAIL_HEADER).toBe('X-Correlation-Id');
    const content = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content;
    // The header keeps the id as it is; only the tag had to be made SES-safe.
    expect(content?.Simple?.Headers).toEqual([
      { Name: 'X-Correlation-Id', Value: 'corr 42/retry#1' },
    ]);
  });

  it('keeps the header a valid single line whatever the correlation id holds', async () => {
    // Prepare
    const sender = new SesEmailSender();

    // Act
    await sender.send(
      email({ tags: { correlationId: `ünï\r\nBcc: eve@example.com${'x'.repeat(2000)}` } }),
    );

    // Assess
    const [header] =
      ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Headers ?? [];
    const value = header?.Value ?? '';
    expect(value.startsWith('_n___Bcc: eve@example.com')).toBe(true);
    expect(value).toMatch(/^[\x20-\x7e]+$/);
    expect(`${header?.Name}${value}`).toHaveLength(996);
  });

  it('adds no header when the email has no correlation id', async () => {
    // Prepare
    const sender = new SesEmailSender();

    // Act
    await sender.send(email({ tags: { orderId: 'order-42' } }));

    // Assess
    const content = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content;
    expect(content?.Simple).not.toHaveProperty('Headers');
  });

  it('uses a ready client when given one', async () => {
    // Prepare
    const client = new SESv2Client({ region: 'eu-west-1' });
    const sender = new SesEmailSender({ client });

    // Act
    await sender.send(email());

    // Assess
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ses.call(0).thisValue).toBe(client);
  });

  it('builds its own client from the given config otherwise', async () => {
    // Prepare
    const sender = new SesEmailSender({ config: { region: 'ap-southeast-2' } });

    // Act
    await sender.send(email());

    // Assess
    const client = ses.call(0).thisValue as SESv2Client;
    expect(client).toBeInstanceOf(SESv2Client);
    await expect(client.config.region()).resolves.toBe('ap-southeast-2');
  });

  it('propagates SES errors so the caller can retry', async () => {
    // Prepare
    const rejected = Object.assign(new Error('Email address is not verified.'), {
      name: 'MessageRejected',
    });
    ses.on(SendEmailCommand).rejects(rejected);
    const sender = new SesEmailSender();

    // Act & Assess
    await expect(sender.send(email())).rejects.toThrow('Email address is not verified.');
  });
});

describe('Function: toSesTagText', () => {
  it('keeps letters, digits, underscores and dashes', () => {
    // Act
    const text = toSesTagText('Order_42-retry');

    // Assess
    expect(text).toBe('Order_42-retry');
  });

  it('replaces every other character with an underscore', () => {
    // Act
    const text = toSesTagText('a.b@c d/é');

    // Assess
    expect(text).toBe('a_b_c_d__');
  });

  it('cuts the text to the 256 characters SES allows', () => {
    // Act
    const text = toSesTagText('x'.repeat(300));

    // Assess
    expect(text).toHaveLength(256);
  });
});
