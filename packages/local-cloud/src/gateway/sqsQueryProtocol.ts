import { randomUUID } from 'node:crypto';
import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import { LOCAL_HOST } from '../net';

// SQS speaks two protocols: the JSON one (`X-Amz-Target: AmazonSQS.<Action>`) that current SDKs
// use and the emulator understands, and the older query one (form-encoded `Action=…` parameters,
// XML answers) that older SDKs and CLIs (Debian 12's aws 2.9) still send. The gateway translates
// the second into the first. Parameter and element names follow the SQS API model
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/), response envelopes
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-xml-api-responses.html

const XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';
/** Form bodies grow with URL encoding: a 1 MiB message of non-ASCII text triples in size. */
const MAX_QUERY_BODY_BYTES = 8 * 1_048_576;

/** Query parameters by name (`MessageAttribute.1.Value.StringValue` → `blue`). */
export type QueryParams = ReadonlyMap<string, string>;

type JsonObject = Record<string, unknown>;

/** A query-protocol request restated for the JSON protocol. */
export interface SqsJsonRequest {
  /** The `X-Amz-Target` suffix: `AmazonSQS.<action>`. */
  action: string;
  input: JsonObject;
}

/** A query-protocol error as SQS reports it in `<ErrorResponse>`. */
export interface SqsQueryFault {
  status: number;
  type: 'Sender' | 'Receiver';
  code: string;
  message: string;
}

/** A request the gateway answers itself, with an SQS error, without asking the emulator. */
export class SqsQueryProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'SqsQueryProtocolError';
  }
}

/**
 * Whether a request signed for `sqs` uses the query protocol: a form-encoded body, or a GET whose
 * URL carries the `Action`.
 *
 * @example
 * isSqsQueryRequest('sqs', { method: 'POST', url: '/', headers: {
 *   'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }); // true
 */
export function isSqsQueryRequest(
  service: string | undefined,
  req: { method?: string; url?: string; headers: IncomingHttpHeaders },
): boolean {
  if (service !== 'sqs') return false;
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('application/x-www-form-urlencoded')) return true;
  return req.method === 'GET' && new URL(req.url ?? '/', 'http://local').searchParams.has('Action');
}

/**
 * The parameters of a query request: those of its URL, then those of its form body.
 *
 * @example
 * queryParams('/', 'Action=ListQueues&Version=2012-11-05').get('Action'); // 'ListQueues'
 */
export function queryParams(url: string, body: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const source of [new URL(url, 'http://local').searchParams, new URLSearchParams(body)]) {
    for (const [name, value] of source) params.set(name, value);
  }
  return params;
}

/**
 * The queue URL a request names by its path (`POST /000000000000/orders` to the queue's URL),
 * as the emulator spells queue URLs: the request's own host.
 *
 * @example
 * queueUrlFromPath('127.0.0.1:4566', '/000000000000/orders');
 * // 'http://127.0.0.1:4566/000000000000/orders'
 */
export function queueUrlFromPath(host: string | undefined, url: string): string | undefined {
  const { pathname } = new URL(url, 'http://local');
  return host && /^\/[^/]+\/[^/]+\/?$/.test(pathname)
    ? `http://${host}${pathname.replace(/\/$/, '')}`
    : undefined;
}

/** The parameters under `prefix.`, named without it. */
function under(params: QueryParams, prefix: string): Map<string, string> {
  const head = `${prefix}.`;
  const found = new Map<string, string>();
  for (const [name, value] of params) {
    if (name.startsWith(head)) found.set(name.slice(head.length), value);
  }
  return found;
}

/** The members of a flattened list or map (`prefix.1…`, `prefix.2…`) by index, in order. */
function members(params: QueryParams, prefix: string): [number, Map<string, string>][] {
  const byIndex = new Map<number, Map<string, string>>();
  for (const [name, value] of under(params, prefix)) {
    const match = /^(\d+)(?:\.(.+))?$/.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    const member = byIndex.get(index) ?? new Map<string, string>();
    member.set(match[2] ?? '', value);
    byIndex.set(index, member);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b);
}

function list(params: QueryParams, prefix: string): string[] | undefined {
  const values = members(params, prefix).flatMap(([, member]) => member.get('') ?? []);
  return values.length > 0 ? values : undefined;
}

function map<T>(
  params: QueryParams,
  prefix: string,
  keyName: string,
  value: (member: Map<string, string>) => T | undefined,
): Record<string, T> | undefined {
  const entries = members(params, prefix).flatMap(([, member]) => {
    const key = member.get(keyName);
    const mapped = value(member);
    return key === undefined || mapped === undefined ? [] : [[key, mapped] as const];
  });
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function stringMap(params: QueryParams, prefix: string, keyName: string, valueName: string) {
  return map(params, prefix, keyName, (member) => member.get(valueName));
}

function integer(params: QueryParams, name: string, label = name): number | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) {
    throw new SqsQueryProtocolError(
      'InvalidParameterValue',
      `Value ${value} for parameter ${label} is invalid. Reason: must be an integer.`,
    );
  }
  return Number(value);
}

/** `<prefix>.N.Name` and `<prefix>.N.Value.{DataType,StringValue,BinaryValue,…}`. */
function messageAttributes(params: QueryParams, prefix: string) {
  return map(params, prefix, 'Name', (member) => {
    const value = under(member, 'Value');
    return compact({
      DataType: value.get('DataType'),
      StringValue: value.get('StringValue'),
      BinaryValue: value.get('BinaryValue'),
      StringListValues: list(value, 'StringListValue'),
      BinaryListValues: list(value, 'BinaryListValue'),
    });
  });
}

function entries(
  params: QueryParams,
  prefix: string,
  entry: (member: QueryParams, label: (field: string) => string) => JsonObject,
): JsonObject[] | undefined {
  const found = members(params, prefix);
  return found.length > 0
    ? found.map(([index, member]) =>
        compact(entry(member, (field) => `${prefix}.${index}.${field}`)),
      )
    : undefined;
}

function compact(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

const sendFields = (p: QueryParams, label: (field: string) => string) => ({
  MessageBody: p.get('MessageBody'),
  DelaySeconds: integer(p, 'DelaySeconds', label('DelaySeconds')),
  MessageAttributes: messageAttributes(p, 'MessageAttribute'),
  MessageSystemAttributes: messageAttributes(p, 'MessageSystemAttribute'),
  MessageDeduplicationId: p.get('MessageDeduplicationId'),
  MessageGroupId: p.get('MessageGroupId'),
});

const queueUrl = (p: QueryParams) => ({ QueueUrl: p.get('QueueUrl') });

/** Each action's input, from its query parameters to its JSON members. */
const inputs: Record<string, (p: QueryParams) => JsonObject> = {
  ListQueues: (p) => ({
    QueueNamePrefix: p.get('QueueNamePrefix'),
    NextToken: p.get('NextToken'),
    MaxResults: integer(p, 'MaxResults'),
  }),
  GetQueueUrl: (p) => ({
    QueueName: p.get('QueueName'),
    QueueOwnerAWSAccountId: p.get('QueueOwnerAWSAccountId'),
  }),
  CreateQueue: (p) => ({
    QueueName: p.get('QueueName'),
    Attributes: stringMap(p, 'Attribute', 'Name', 'Value'),
    tags: stringMap(p, 'Tag', 'Key', 'Value'),
  }),
  GetQueueAttributes: (p) => ({ ...queueUrl(p), AttributeNames: list(p, 'AttributeName') }),
  SetQueueAttributes: (p) => ({
    ...queueUrl(p),
    Attributes: stringMap(p, 'Attribute', 'Name', 'Value'),
  }),
  DeleteQueue: queueUrl,
  PurgeQueue: queueUrl,
  ListDeadLetterSourceQueues: (p) => ({
    ...queueUrl(p),
    NextToken: p.get('NextToken'),
    MaxResults: integer(p, 'MaxResults'),
  }),
  ListQueueTags: queueUrl,
  // The API reference names these `Tag.N.Key`; botocore's serializer sends `Tags.N.Key`.
  TagQueue: (p) => ({
    ...queueUrl(p),
    Tags: stringMap(p, 'Tag', 'Key', 'Value') ?? stringMap(p, 'Tags', 'Key', 'Value'),
  }),
  UntagQueue: (p) => ({ ...queueUrl(p), TagKeys: list(p, 'TagKey') }),
  SendMessage: (p) => ({ ...queueUrl(p), ...sendFields(p, (field) => field) }),
  SendMessageBatch: (p) => ({
    ...queueUrl(p),
    Entries: entries(p, 'SendMessageBatchRequestEntry', (entry, label) => ({
      Id: entry.get('Id'),
      ...sendFields(entry, label),
    })),
  }),
  ReceiveMessage: (p) => ({
    ...queueUrl(p),
    AttributeNames: list(p, 'AttributeName'),
    MessageSystemAttributeNames: list(p, 'MessageSystemAttributeName'),
    MessageAttributeNames: list(p, 'MessageAttributeName'),
    MaxNumberOfMessages: integer(p, 'MaxNumberOfMessages'),
    VisibilityTimeout: integer(p, 'VisibilityTimeout'),
    WaitTimeSeconds: integer(p, 'WaitTimeSeconds'),
    ReceiveRequestAttemptId: p.get('ReceiveRequestAttemptId'),
  }),
  DeleteMessage: (p) => ({ ...queueUrl(p), ReceiptHandle: p.get('ReceiptHandle') }),
  DeleteMessageBatch: (p) => ({
    ...queueUrl(p),
    Entries: entries(p, 'DeleteMessageBatchRequestEntry', (entry) => ({
      Id: entry.get('Id'),
      ReceiptHandle: entry.get('ReceiptHandle'),
    })),
  }),
  ChangeMessageVisibility: (p) => ({
    ...queueUrl(p),
    ReceiptHandle: p.get('ReceiptHandle'),
    VisibilityTimeout: integer(p, 'VisibilityTimeout'),
  }),
  ChangeMessageVisibilityBatch: (p) => ({
    ...queueUrl(p),
    Entries: entries(p, 'ChangeMessageVisibilityBatchRequestEntry', (entry, label) => ({
      Id: entry.get('Id'),
      ReceiptHandle: entry.get('ReceiptHandle'),
      VisibilityTimeout: integer(entry, 'VisibilityTimeout', label('VisibilityTimeout')),
    })),
  }),
};

/**
 * Restates a query-protocol request for the JSON protocol. The queue URL may come from the
 * request's path; an action without a mapping here goes through with its queue URL only, so the
 * emulator answers it (with `InvalidAction` if it does not know it either).
 *
 * @example
 * toJsonRequest(new Map([['Action', 'GetQueueAttributes'], ['AttributeName.1', 'All']]),
 *   'http://127.0.0.1:4566/000000000000/orders');
 * // { action: 'GetQueueAttributes', input: {
 * //   QueueUrl: 'http://127.0.0.1:4566/000000000000/orders', AttributeNames: ['All'] } }
 */
export function toJsonRequest(params: QueryParams, pathQueueUrl?: string): SqsJsonRequest {
  const action = params.get('Action');
  if (!action) {
    throw new SqsQueryProtocolError('MissingAction', 'The request must contain an Action.');
  }
  // The action names XML elements of the answer: only plain names are taken.
  if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(action)) {
    throw new SqsQueryProtocolError('InvalidAction', `The action ${action} is not valid.`);
  }
  const withQueueUrl = new Map(params);
  if (!withQueueUrl.has('QueueUrl') && pathQueueUrl) withQueueUrl.set('QueueUrl', pathQueueUrl);
  const input = (inputs[action] ?? queueUrl)(withQueueUrl);
  return { action, input: compact(input) };
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR would reach the client as LF (XML normalises line ends) and break MD5OfBody.
  '\r': '&#xD;',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (char) => XML_ESCAPES[char] ?? char);
}

function element(name: string, value: unknown): string {
  return value === undefined || value === null
    ? ''
    : `<${name}>${escapeXml(String(value))}</${name}>`;
}

function wrap(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

function each(items: unknown, render: (item: JsonObject) => string): string {
  return Array.isArray(items) ? items.map((item) => render(item as JsonObject)).join('') : '';
}

function pairs(name: string, keyName: string, valueName: string, object: unknown): string {
  return Object.entries((object ?? {}) as JsonObject)
    .map(([key, value]) => wrap(name, element(keyName, key) + element(valueName, value)))
    .join('');
}

const sendResult = (result: JsonObject) =>
  element('MD5OfMessageBody', result.MD5OfMessageBody) +
  element('MD5OfMessageAttributes', result.MD5OfMessageAttributes) +
  element('MD5OfMessageSystemAttributes', result.MD5OfMessageSystemAttributes) +
  element('MessageId', result.MessageId) +
  element('SequenceNumber', result.SequenceNumber);

const failures = (result: JsonObject) =>
  each(result.Failed, (failure) =>
    wrap(
      'BatchResultErrorEntry',
      element('Id', failure.Id) +
        element('SenderFault', failure.SenderFault) +
        element('Code', failure.Code) +
        element('Message', failure.Message),
    ),
  );

const idsOnly = (entryName: string) => (result: JsonObject) =>
  each(result.Successful, (entry) => wrap(entryName, element('Id', entry.Id))) + failures(result);

const attributeValue = (value: JsonObject) =>
  element('StringValue', value.StringValue) +
  element('BinaryValue', value.BinaryValue) +
  each(value.StringListValues, (item) => element('StringListValue', item)) +
  each(value.BinaryListValues, (item) => element('BinaryListValue', item)) +
  element('DataType', value.DataType);

const message = (received: JsonObject) =>
  wrap(
    'Message',
    element('MessageId', received.MessageId) +
      element('ReceiptHandle', received.ReceiptHandle) +
      element('MD5OfBody', received.MD5OfBody) +
      element('Body', received.Body) +
      pairs('Attribute', 'Name', 'Value', received.Attributes) +
      element('MD5OfMessageAttributes', received.MD5OfMessageAttributes) +
      Object.entries((received.MessageAttributes ?? {}) as Record<string, JsonObject>)
        .map(([name, value]) =>
          wrap('MessageAttribute', element('Name', name) + wrap('Value', attributeValue(value))),
        )
        .join(''),
  );

const queueUrls = (urls: unknown, nextToken: unknown) =>
  (Array.isArray(urls) ? urls : []).map((url) => element('QueueUrl', url)).join('') +
  element('NextToken', nextToken);

/** Each action's `<…Result>` content; actions without one answer only `ResponseMetadata`. */
const results: Record<string, (output: JsonObject) => string> = {
  ListQueues: (o) => queueUrls(o.QueueUrls, o.NextToken),
  ListDeadLetterSourceQueues: (o) => queueUrls(o.queueUrls, o.NextToken),
  GetQueueUrl: (o) => element('QueueUrl', o.QueueUrl),
  CreateQueue: (o) => element('QueueUrl', o.QueueUrl),
  GetQueueAttributes: (o) => pairs('Attribute', 'Name', 'Value', o.Attributes),
  ListQueueTags: (o) => pairs('Tag', 'Key', 'Value', o.Tags),
  SendMessage: sendResult,
  SendMessageBatch: (o) =>
    each(o.Successful, (entry) =>
      wrap('SendMessageBatchResultEntry', element('Id', entry.Id) + sendResult(entry)),
    ) + failures(o),
  ReceiveMessage: (o) => each(o.Messages, message),
  DeleteMessageBatch: idsOnly('DeleteMessageBatchResultEntry'),
  ChangeMessageVisibilityBatch: idsOnly('ChangeMessageVisibilityBatchResultEntry'),
};

/**
 * The XML answer of the query protocol for an action's JSON output.
 *
 * @example
 * toQueryXml('GetQueueUrl', { QueueUrl: 'http://127.0.0.1:4566/000000000000/orders' }, 'req-1');
 * // '<?xml version="1.0"?><GetQueueUrlResponse xmlns="…"><GetQueueUrlResult><QueueUrl>…'
 */
export function toQueryXml(action: string, output: JsonObject, requestId: string): string {
  const result = results[action];
  return (
    '<?xml version="1.0"?>' +
    `<${action}Response xmlns="${XML_NAMESPACE}">` +
    (result ? wrap(`${action}Result`, result(output)) : '') +
    wrap('ResponseMetadata', element('RequestId', requestId)) +
    `</${action}Response>`
  );
}

/**
 * Query-protocol codes of the errors whose JSON name differs (from the SQS API model's
 * `awsQueryError` codes); every other error keeps its name.
 */
const QUERY_ERROR_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueNameExists: 'QueueAlreadyExists',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
  PurgeQueueInProgress: 'AWS.SimpleQueueService.PurgeQueueInProgress',
  QueueDeletedRecently: 'AWS.SimpleQueueService.QueueDeletedRecently',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
};

/**
 * The query-protocol error for a JSON-protocol error answer: its code from `__type`
 * (`com.amazonaws.sqs#QueueDoesNotExist` → `AWS.SimpleQueueService.NonExistentQueue`), its fault
 * from the `x-amzn-query-error` header (`…;Sender`) or the status.
 *
 * @example
 * queryFault(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'gone' });
 * // { status: 400, type: 'Sender', code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'gone' }
 */
export function queryFault(
  status: number,
  body: unknown,
  queryErrorHeader?: string,
): SqsQueryFault {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as JsonObject;
  const jsonCode = String(answer.__type ?? answer.code ?? '')
    .split('#')
    .pop();
  const fault = queryErrorHeader?.split(';')[1];
  return {
    status,
    type:
      fault === 'Sender' || fault === 'Receiver' ? fault : status >= 500 ? 'Receiver' : 'Sender',
    code: jsonCode
      ? (QUERY_ERROR_CODES[jsonCode] ?? jsonCode)
      : status >= 500
        ? 'InternalFailure'
        : 'InvalidRequest',
    message: String(answer.message ?? answer.Message ?? `the emulator answered ${status}`),
  };
}

/**
 * The query protocol's `<ErrorResponse>` for a fault.
 *
 * @example
 * toQueryErrorXml({ status: 400, type: 'Sender', code: 'InvalidAction', message: '…' }, 'req-1');
 */
export function toQueryErrorXml(fault: SqsQueryFault, requestId: string): string {
  return (
    '<?xml version="1.0"?>' +
    `<ErrorResponse xmlns="${XML_NAMESPACE}">` +
    wrap(
      'Error',
      element('Type', fault.type) +
        element('Code', fault.code) +
        element('Message', fault.message) +
        '<Detail/>',
    ) +
    element('RequestId', requestId) +
    '</ErrorResponse>'
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so the client still gets the 413.
      if (size > MAX_QUERY_BODY_BYTES) {
        reject(
          new SqsQueryProtocolError(
            'RequestEntityTooLarge',
            `The request body is larger than ${MAX_QUERY_BODY_BYTES} bytes.`,
            413,
          ),
        );
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface JsonAnswer {
  status: number;
  body: unknown;
  queryError: string | undefined;
}

/**
 * Sends a JSON-protocol request to the emulator with the client's Host (queue URLs are built
 * from it) and Authorization (its region scopes queue names).
 */
function callJsonProtocol(
  port: number,
  json: SqsJsonRequest,
  headers: IncomingHttpHeaders,
  res: ServerResponse,
): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(json.input));
    const upstream = request(
      {
        host: LOCAL_HOST,
        port,
        method: 'POST',
        path: '/',
        headers: {
          host: headers.host,
          ...(headers.authorization ? { authorization: headers.authorization } : {}),
          'content-type': 'application/x-amz-json-1.0',
          'content-length': payload.length,
          'x-amz-target': `AmazonSQS.${json.action}`,
        },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            body = { message: text };
          }
          const queryError = answer.headers['x-amzn-query-error'];
          resolve({
            status: answer.statusCode ?? 502,
            body,
            queryError: typeof queryError === 'string' ? queryError : undefined,
          });
        });
      },
    );
    upstream.on('error', reject);
    // A client that gives up on a long poll should not leave it running.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(payload);
  });
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/xml; charset=utf-8',
    'x-amzn-RequestId': requestId,
  });
  res.end(xml);
}

/**
 * Answers a query-protocol SQS request (see {@link isSqsQueryRequest}) by asking the emulator on
 * `port` in the JSON protocol and rendering its answer, or its error, as SQS's XML.
 *
 * @example
 * if (isSqsQueryRequest(service, req)) answerSqsQuery(routes.sqs, req, res);
 */
export function answerSqsQuery(
  port: number,
  req: IncomingMessage,
  res: ServerResponse,
  /** The body, when it was read already (to authorize the request). */
  body?: Buffer,
): void {
  const requestId = randomUUID();
  const url = req.url ?? '/';
  (body ? Promise.resolve(body.toString('utf8')) : readBody(req))
    .then(async (body) => {
      const json = toJsonRequest(queryParams(url, body), queueUrlFromPath(req.headers.host, url));
      const answer = await callJsonProtocol(port, json, req.headers, res);
      if (answer.status >= 200 && answer.status < 300) {
        sendXml(res, 200, toQueryXml(json.action, answer.body as JsonObject, requestId), requestId);
        return;
      }
      const fault = queryFault(answer.status, answer.body, answer.queryError);
      sendXml(res, fault.status, toQueryErrorXml(fault, requestId), requestId);
    })
    .catch((error: Error) => {
      if (res.headersSent || res.destroyed) return;
      const fault: SqsQueryFault =
        error instanceof SqsQueryProtocolError
          ? { status: error.status, type: 'Sender', code: error.code, message: error.message }
          : {
              status: 502,
              type: 'Receiver',
              code: 'ServiceUnavailable',
              message: `SQS emulator on port ${port}: ${error.message}`,
            };
      sendXml(res, fault.status, toQueryErrorXml(fault, requestId), requestId);
    });
}
