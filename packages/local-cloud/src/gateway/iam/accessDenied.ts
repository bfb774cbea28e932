import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

// Each service reports a denial in its own protocol's error shape; SDKs turn these into the
// errors handlers catch (`AccessDeniedException`, `AccessDenied`, `AuthorizationError`), so the
// local answer must be the AWS one for error handling to be exercised as it will be deployed.
// Message wording: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html

/** A request IAM refused. */
export interface Denial {
  /** `arn:aws:sts::000000000000:assumed-role/<role>/<function>`: who Lambda says asked. */
  sessionArn: string;
  action: string;
  resource: string;
  /** Implicit: no statement allows it; explicit: a Deny statement of one kind of policy matched. */
  reason: 'implicit' | 'explicit-identity' | 'explicit-resource';
}

const REASONS: Record<Denial['reason'], (action: string) => string> = {
  implicit: (action) => `because no identity-based policy allows the ${action} action`,
  'explicit-identity': () => 'with an explicit deny in an identity-based policy',
  'explicit-resource': () => 'with an explicit deny in a resource-based policy',
};

/**
 * The message AWS gives for a denial. SQS spells the action in lower case and SNS its service in
 * upper case, as their real messages do.
 *
 * @example
 * deniedMessage({ sessionArn: 'arn:aws:sts::000000000000:assumed-role/r/f',
 *   action: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:eu-west-1:000000000000:table/t',
 *   reason: 'implicit' });
 * // 'User: arn:aws:sts::000000000000:assumed-role/r/f is not authorized to perform:
 * //  dynamodb:PutItem on resource: arn:…:table/t because no identity-based policy allows the
 * //  dynamodb:PutItem action'
 */
export function deniedMessage(denial: Denial): string {
  const [service = '', name = ''] = denial.action.split(':');
  const action =
    service === 'sqs'
      ? denial.action.toLowerCase()
      : service === 'sns'
        ? `SNS:${name}`
        : denial.action;
  return `User: ${denial.sessionArn} is not authorized to perform: ${action} on resource: ${denial.resource} ${REASONS[denial.reason](action)}`;
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] ?? char,
  );
}

/** A denial rendered as the service's protocol answers it. */
export interface DeniedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The answer `service` gives for a denial: DynamoDB's JSON `AccessDeniedException` (400), SQS's
 * `AccessDenied` in JSON (with the query-compatibility header its SDK reads) or XML, SNS's
 * `AuthorizationError`, S3's bare `Access Denied` (no body for HEAD), SES v2's REST-JSON error.
 *
 * @example
 * deniedAnswer('dynamodb', denial).status; // 400
 */
export function deniedAnswer(
  service: string,
  denial: Denial,
  options: { method?: string; sqsQueryProtocol?: boolean } = {},
): DeniedAnswer {
  const requestId = randomUUID();
  const message = deniedMessage(denial);
  const json = (status: number, body: unknown, extra: Record<string, string> = {}) => ({
    status,
    headers: { 'x-amzn-RequestId': requestId, ...extra },
    body: JSON.stringify(body),
  });
  const coral = { __type: 'com.amazon.coral.service#AccessDeniedException', message };
  switch (service) {
    case 'dynamodb':
      return json(400, coral, { 'Content-Type': 'application/x-amz-json-1.0' });
    case 'sqs':
      if (options.sqsQueryProtocol) {
        return {
          status: 403,
          headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
          body:
            '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">' +
            `<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${escapeXml(message)}</Message><Detail/></Error>` +
            `<RequestId>${requestId}</RequestId></ErrorResponse>`,
        };
      }
      return json(403, coral, {
        'Content-Type': 'application/x-amz-json-1.0',
        'x-amzn-query-error': 'AccessDenied;Sender',
      });
    case 'sns':
      return {
        status: 403,
        headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
        body:
          '<ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">' +
          `<Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>${escapeXml(message)}</Message></Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 's3': {
      const headers = { 'Content-Type': 'application/xml', 'x-amz-request-id': requestId };
      // A HEAD answer has no body: the SDK reports the status alone (`Forbidden`).
      if (options.method?.toUpperCase() === 'HEAD') return { status: 403, headers, body: '' };
      return {
        status: 403,
        headers,
        body:
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>' +
          `<RequestId>${requestId}</RequestId><HostId>local-cloud</HostId></Error>`,
      };
    }
    case 'ses':
      return json(
        403,
        { message },
        { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' },
      );
    default:
      return json(403, coral, { 'Content-Type': 'application/x-amz-json-1.1' });
  }
}

/** Sends a denial. */
export function sendDenied(res: ServerResponse, answer: DeniedAnswer): void {
  res.writeHead(answer.status, {
    ...answer.headers,
    'Content-Length': String(Buffer.byteLength(answer.body)),
  });
  res.end(answer.body);
}
