/** SQS and SNS bill each started 64 KB of a request's payload as one request. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Billed requests for a payload of `bytes`: one per started 64 KB chunk, at least one.
 * https://aws.amazon.com/sqs/pricing/ , https://aws.amazon.com/sns/pricing/
 *
 * @example
 * billedChunks(65_537); // 2
 */
export function billedChunks(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / CHUNK_BYTES));
}

/** A message attribute as SQS's and SNS's APIs carry it. */
interface MessageAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: string | Uint8Array;
}

const bytes = (text: unknown): number =>
  text instanceof Uint8Array ? text.length : Buffer.byteLength(String(text ?? ''), 'utf8');

/** A message's billed payload: its body plus each attribute's name, type and value. */
export function messagePayloadBytes(
  body: string,
  attributes: Record<string, MessageAttribute> = {},
): number {
  return Object.entries(attributes).reduce(
    (sum, [name, attribute]) =>
      sum +
      bytes(name) +
      bytes(attribute.DataType) +
      bytes(attribute.StringValue ?? '') +
      (attribute.BinaryValue === undefined ? 0 : bytes(attribute.BinaryValue)),
    bytes(body),
  );
}

/** What one SQS API call costs and carried, from its JSON request and answer. */
export interface SqsRequestUse {
  billedRequests: number;
  /** A ReceiveMessage that returned no message (long polls of idle queues). */
  emptyReceive: boolean;
  messagesReceived: number;
  /** Messages received for the first time (`ApproximateReceiveCount` 1): deliveries into the queue. */
  firstReceives: number;
}

type Body = Record<string, unknown>;

/**
 * Billed SQS requests of one call: sends and receives per 64 KB chunk of the messages they carry
 * (a batch of up to 10 is one request per chunk of its total), every other call one request.
 *
 * @example
 * sqsRequestUse('ReceiveMessage', {}, { Messages: [] }); // 1 billed, emptyReceive: true
 */
export function sqsRequestUse(action: string, request: Body, answer: Body): SqsRequestUse {
  const use = { billedRequests: 1, emptyReceive: false, messagesReceived: 0, firstReceives: 0 };
  switch (action) {
    case 'SendMessage':
      return {
        ...use,
        billedRequests: billedChunks(
          messagePayloadBytes(
            String(request.MessageBody ?? ''),
            request.MessageAttributes as Record<string, MessageAttribute>,
          ),
        ),
      };
    case 'SendMessageBatch': {
      const entries = (request.Entries ?? []) as Body[];
      const total = entries.reduce<number>(
        (sum, entry) =>
          sum +
          messagePayloadBytes(
            String(entry.MessageBody ?? ''),
            entry.MessageAttributes as Record<string, MessageAttribute>,
          ),
        0,
      );
      return { ...use, billedRequests: billedChunks(total) };
    }
    case 'ReceiveMessage': {
      const messages = (answer.Messages ?? []) as Body[];
      const total = messages.reduce<number>(
        (sum, message) =>
          sum +
          messagePayloadBytes(
            String(message.Body ?? ''),
            message.MessageAttributes as Record<string, MessageAttribute>,
          ),
        0,
      );
      return {
        billedRequests: billedChunks(total),
        emptyReceive: messages.length === 0,
        messagesReceived: messages.length,
        firstReceives: messages.filter(
          (message) =>
            (message.Attributes as Record<string, string> | undefined)?.ApproximateReceiveCount ===
            '1',
        ).length,
      };
    }
    default:
      return use;
  }
}

/**
 * Billed SNS requests of one call from its query-protocol form: a Publish per 64 KB chunk of
 * message and attributes, a PublishBatch per chunk of all its entries, any other call one.
 * Returns the messages published besides.
 */
export function snsRequestUse(
  action: string,
  form: URLSearchParams,
): { billedRequests: number; messagesPublished: number } {
  const payload = (prefix: string) => {
    let total = bytes(form.get(`${prefix}Message`) ?? '');
    for (const [name, value] of form) {
      if (!name.startsWith(`${prefix}MessageAttributes.entry.`)) continue;
      // .Name, .Value.DataType, .Value.StringValue / .Value.BinaryValue all count.
      if (/\.(Name|DataType|StringValue|BinaryValue)$/.test(name)) total += bytes(value);
    }
    return total;
  };
  if (action === 'Publish')
    return { billedRequests: billedChunks(payload('')), messagesPublished: 1 };
  if (action === 'PublishBatch') {
    const prefixes = new Set(
      [...form.keys()]
        .map((name) => /^(PublishBatchRequestEntries\.member\.\d+\.)/.exec(name)?.[1])
        .filter((prefix): prefix is string => prefix !== undefined),
    );
    const total = [...prefixes].reduce((sum, prefix) => sum + payload(prefix), 0);
    return { billedRequests: billedChunks(total), messagesPublished: prefixes.size };
  }
  return { billedRequests: 1, messagesPublished: 0 };
}

/**
 * Emails an SES call sends, as SES bills them: one per recipient. SES v2 `SendEmail`
 * (`POST /v2/email/outbound-emails`, JSON) and v1 `SendEmail`/`SendRawEmail` (query form).
 */
export function sesEmailsSent(
  request: { method: string; path: string; body: string },
  form?: URLSearchParams,
): number {
  if (request.method === 'POST' && request.path.endsWith('/v2/email/outbound-emails')) {
    const body = JSON.parse(request.body || '{}') as {
      Destination?: Record<string, string[] | undefined>;
    };
    const destination = body.Destination ?? {};
    const recipients =
      (destination.ToAddresses?.length ?? 0) +
      (destination.CcAddresses?.length ?? 0) +
      (destination.BccAddresses?.length ?? 0);
    return Math.max(1, recipients);
  }
  const action = form?.get('Action');
  if (action !== 'SendEmail' && action !== 'SendRawEmail') return 0;
  const recipients = [...(form?.keys() ?? [])].filter((name) =>
    /^Destination(s|\.(To|Cc|Bcc)Addresses)\.member\.\d+$/.test(name),
  ).length;
  return Math.max(1, recipients);
}

/**
 * The S3 request class: PUT, COPY, POST and LIST bill as tier 1, GET, HEAD and the rest as
 * tier 2; DELETE is free. A GET of a bucket (no key) is a LIST.
 * https://aws.amazon.com/s3/pricing/ (Requests & data retrievals)
 */
export function s3RequestTier(method: string, path: string): 1 | 2 | undefined {
  if (method === 'DELETE') return undefined;
  if (method === 'PUT' || method === 'POST') return 1;
  // Path-style addressing: `/bucket` or `/bucket/` is the bucket, `/bucket/key` an object.
  const hasKey = path.split('?')[0]?.split('/').filter(Boolean).length ?? 0;
  return method === 'GET' && hasKey < 2 ? 1 : 2;
}
