import type { IncomingHttpHeaders } from 'node:http';
import { LOCAL_ACCOUNT_ID } from '../../cloudformation/template';
import { queryParams, queueUrlFromPath, toJsonRequest } from '../sqsQueryProtocol';

// What IAM authorizes for a request: its action, the resource it acts on and the condition keys it
// carries, from the request's shape alone, as each service's authorization reference states it:
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html

/** One authorization a request needs. */
export interface IamRequest {
  /** `service:Action` as IAM spells it, e.g. `dynamodb:PutItem`. */
  action: string;
  /**
   * The resource ARNs the action is on; a grant on any one of them suffices (SES sends from an
   * address under the address's identity or its domain's, whichever is verified).
   */
  resources: string[];
  /** Condition keys the request carries (`s3:prefix`, `ses:FromAddress`…). */
  context: Record<string, string | string[]>;
}

/**
 * What a request needs: every listed authorization (a BatchWriteItem over two tables needs both),
 * or `unknown` when the local cloud cannot tell its action.
 */
export type IamMapping =
  | { kind: 'requests'; requests: IamRequest[]; objectRead?: S3Location }
  | { kind: 'unknown'; operation: string };

/** The parts of an HTTP request the mapping reads. */
export interface SignedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body, for services whose action or resource is in it (all but S3). */
  body?: string;
  /** The region of the request's signature. */
  region: string;
}

/** The bucket and key of an S3 request (key empty for bucket operations). */
export interface S3Location {
  bucket: string;
  key: string;
}

/** Whether the mapping of a request to `service` reads its body (S3 bodies stream through). */
export function mappingReadsBody(service: string): boolean {
  return service !== 's3';
}

/**
 * The IAM authorizations a request to `service` needs.
 *
 * @example
 * iamRequestsFor('dynamodb', { method: 'POST', url: '/', region: 'eu-west-1',
 *   headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' }, body: '{"TableName":"orders"}' });
 * // { kind: 'requests', requests: [{ action: 'dynamodb:PutItem',
 * //   resources: ['arn:aws:dynamodb:eu-west-1:000000000000:table/orders'], context: {} }] }
 */
export function iamRequestsFor(service: string, request: SignedRequest): IamMapping {
  switch (service) {
    case 'dynamodb':
      return dynamodb(request);
    case 'sqs':
      return sqs(request);
    case 'sns':
      return sns(request);
    case 's3':
      return s3(request);
    case 'ses':
      return ses(request);
    default:
      return unknown(
        `${service} ${request.method} ${new URL(request.url, 'http://local').pathname}`,
      );
  }
}

const unknown = (operation: string): IamMapping => ({ kind: 'unknown', operation });
const needs = (...requests: IamRequest[]): IamMapping => ({ kind: 'requests', requests });
const one = (action: string, resource: string, context: IamRequest['context'] = {}) => ({
  action,
  resources: [resource],
  context,
});

type JsonObject = Record<string, unknown>;

function jsonBody(body: string | undefined): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

// ── DynamoDB ────────────────────────────────────────────────────────────────────────────────────
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html

/** Batch and transaction members: the action each kind of item stands for. */
const TRANSACT_WRITE_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

function dynamodb(request: SignedRequest): IamMapping {
  const target = header(request.headers, 'x-amz-target');
  const operation = /^DynamoDB_\d+\.(\w+)$/.exec(target)?.[1];
  const body = jsonBody(request.body);
  if (!operation || !body) return unknown(`dynamodb ${target || 'without X-Amz-Target'}`);
  const table = (name: unknown) =>
    String(name).startsWith('arn:')
      ? String(name)
      : `arn:aws:dynamodb:${request.region}:${LOCAL_ACCOUNT_ID}:table/${String(name)}`;
  const action = `dynamodb:${operation}`;
  switch (operation) {
    // A batch is authorized per table, under the batch's own action.
    case 'BatchWriteItem':
    case 'BatchGetItem':
      return needs(
        ...Object.keys((body.RequestItems ?? {}) as JsonObject).map((name) =>
          one(action, table(name)),
        ),
      );
    // A transaction needs each member's own action on its table.
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      const items = (body.TransactItems ?? []) as JsonObject[];
      return needs(
        ...items.flatMap((item) =>
          Object.entries(item).map(([kind, member]) =>
            one(
              `dynamodb:${operation === 'TransactGetItems' ? 'GetItem' : (TRANSACT_WRITE_ACTIONS[kind] ?? kind)}`,
              table((member as JsonObject).TableName),
            ),
          ),
        ),
      );
    }
    default: {
      if (body.TableName === undefined) {
        return needs(one(action, typeof body.ResourceArn === 'string' ? body.ResourceArn : '*'));
      }
      const index = body.IndexName === undefined ? '' : `/index/${String(body.IndexName)}`;
      return needs(one(action, `${table(body.TableName)}${index}`));
    }
  }
}

// ── SQS ─────────────────────────────────────────────────────────────────────────────────────────
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html

/** Batch actions are authorized as the single-message action (there is no sqs:SendMessageBatch). */
const SQS_BATCH_ACTIONS: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

/** A queue's ARN from its URL (`…/000000000000/orders`). */
export function queueArnOf(queueUrl: string, region: string): string {
  const [account, name] = new URL(queueUrl, 'http://local').pathname.split('/').slice(-2);
  return `arn:aws:sqs:${region}:${account || LOCAL_ACCOUNT_ID}:${name ?? ''}`;
}

function sqs(request: SignedRequest): IamMapping {
  const target = header(request.headers, 'x-amz-target');
  let action: string;
  let input: JsonObject;
  if (target.startsWith('AmazonSQS.')) {
    const body = jsonBody(request.body);
    if (!body) return unknown(`sqs ${target} with a body that is not JSON`);
    action = target.slice('AmazonSQS.'.length);
    input = body;
  } else {
    try {
      const json = toJsonRequest(
        queryParams(request.url, request.body ?? ''),
        queueUrlFromPath(header(request.headers, 'host'), request.url),
      );
      action = json.action;
      input = json.input;
    } catch {
      // The translator answers malformed query requests itself; nothing to authorize.
      return needs();
    }
  }
  const iamAction = `sqs:${SQS_BATCH_ACTIONS[action] ?? action}`;
  if (typeof input.QueueUrl === 'string') {
    return needs(one(iamAction, queueArnOf(input.QueueUrl, request.region)));
  }
  if (typeof input.QueueName === 'string') {
    const account = String(input.QueueOwnerAWSAccountId ?? LOCAL_ACCOUNT_ID);
    return needs(one(iamAction, `arn:aws:sqs:${request.region}:${account}:${input.QueueName}`));
  }
  return needs(one(iamAction, '*'));
}

// ── SNS (query protocol) ────────────────────────────────────────────────────────────────────────
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html

function sns(request: SignedRequest): IamMapping {
  const params = queryParams(request.url, request.body ?? '');
  const action = params.get('Action');
  if (!action) return unknown('sns request without an Action');
  const iamAction = `sns:${action === 'PublishBatch' ? 'Publish' : action}`;
  const topicArn = params.get('TopicArn') ?? params.get('TargetArn') ?? params.get('ResourceArn');
  if (topicArn) return needs(one(iamAction, topicArn));
  const subscriptionArn = params.get('SubscriptionArn');
  // A subscription's ARN is its topic's plus an id: the topic is what IAM scopes.
  if (subscriptionArn)
    return needs(one(iamAction, subscriptionArn.split(':').slice(0, 6).join(':')));
  const name = params.get('Name');
  if (action === 'CreateTopic' && name) {
    return needs(one(iamAction, `arn:aws:sns:${request.region}:${LOCAL_ACCOUNT_ID}:${name}`));
  }
  return needs(one(iamAction, '*'));
}

// ── S3 (REST) ───────────────────────────────────────────────────────────────────────────────────
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html

/** The bucket and key a request names, path style (`/bucket/key`) or virtual-hosted style. */
export function s3LocationOf(request: Pick<SignedRequest, 'url' | 'headers'>): S3Location {
  const { pathname } = new URL(request.url, 'http://local');
  const host = header(request.headers, 'host').split(':')[0] ?? '';
  const virtualBucket = /^[^.]+\.(s3\.)?localhost$/.test(host) ? host.split('.')[0] : undefined;
  const segments = pathname.split('/').slice(1);
  const bucket = virtualBucket ?? decodeURIComponent(segments.shift() ?? '');
  return { bucket, key: segments.map(decodeURIComponent).join('/') };
}

/** Bucket subresources: the query parameter, and the actions reading and writing it. */
const BUCKET_SUBRESOURCES: [string, string, string, string?][] = [
  ['policy', 'GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  ['notification', 'GetBucketNotification', 'PutBucketNotification'],
  ['cors', 'GetBucketCORS', 'PutBucketCORS', 'PutBucketCORS'],
  [
    'lifecycle',
    'GetLifecycleConfiguration',
    'PutLifecycleConfiguration',
    'PutLifecycleConfiguration',
  ],
  ['tagging', 'GetBucketTagging', 'PutBucketTagging', 'PutBucketTagging'],
  ['acl', 'GetBucketAcl', 'PutBucketAcl'],
  ['versioning', 'GetBucketVersioning', 'PutBucketVersioning'],
  [
    'encryption',
    'GetEncryptionConfiguration',
    'PutEncryptionConfiguration',
    'PutEncryptionConfiguration',
  ],
  [
    'publicAccessBlock',
    'GetBucketPublicAccessBlock',
    'PutBucketPublicAccessBlock',
    'PutBucketPublicAccessBlock',
  ],
  [
    'ownershipControls',
    'GetBucketOwnershipControls',
    'PutBucketOwnershipControls',
    'PutBucketOwnershipControls',
  ],
  ['location', 'GetBucketLocation', 'GetBucketLocation'],
];

/** Object subresources: the query parameter, and the actions reading and writing it. */
const OBJECT_SUBRESOURCES: [string, string, string, string?][] = [
  ['acl', 'GetObjectAcl', 'PutObjectAcl'],
  ['tagging', 'GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging'],
  ['retention', 'GetObjectRetention', 'PutObjectRetention'],
  ['legal-hold', 'GetObjectLegalHold', 'PutObjectLegalHold'],
  ['attributes', 'GetObjectAttributes', 'GetObjectAttributes'],
];

function s3(request: SignedRequest): IamMapping {
  const { bucket, key } = s3LocationOf(request);
  const query = new URL(request.url, 'http://local').searchParams;
  const method = request.method.toUpperCase();
  if (method === 'OPTIONS') return needs(); // CORS preflight: S3 answers it without authorization.
  if (!bucket) return needs(one('s3:ListAllMyBuckets', '*'));
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const pick = (table: [string, string, string, string?][]) =>
    table.find(([parameter]) => query.has(parameter));
  const byMethod = ([, get, put, del]: [string, string, string, string?]) =>
    method === 'GET' || method === 'HEAD' ? get : method === 'DELETE' ? (del ?? put) : put;

  if (!key) {
    const sub = pick(BUCKET_SUBRESOURCES);
    if (sub) return needs(one(`s3:${byMethod(sub)}`, bucketArn));
    if (method === 'POST' && query.has('delete')) {
      // The keys are in the XML body, which streams through unread.
      return unknown(`s3 DeleteObjects on ${bucket}`);
    }
    if (method === 'GET' && query.has('versions'))
      return needs(one('s3:ListBucketVersions', bucketArn));
    if (method === 'GET' && query.has('uploads'))
      return needs(one('s3:ListBucketMultipartUploads', bucketArn));
    if (method === 'GET' || method === 'HEAD') {
      const context: IamRequest['context'] = {};
      for (const name of ['prefix', 'delimiter', 'max-keys']) {
        const value = query.get(name);
        if (value !== null) context[`s3:${name}`] = value;
      }
      return needs(one('s3:ListBucket', bucketArn, context));
    }
    if (method === 'PUT') return needs(one('s3:CreateBucket', bucketArn));
    if (method === 'DELETE') return needs(one('s3:DeleteBucket', bucketArn));
    return unknown(`s3 ${method} on bucket ${bucket}`);
  }

  const objectArn = `${bucketArn}/${key}`;
  const sub = pick(OBJECT_SUBRESOURCES);
  if (sub) return needs(one(`s3:${byMethod(sub)}`, objectArn));
  const versioned = query.has('versionId');
  switch (method) {
    case 'GET':
      if (query.has('uploadId')) return needs(one('s3:ListMultipartUploadParts', objectArn));
      return {
        kind: 'requests',
        requests: [one(versioned ? 's3:GetObjectVersion' : 's3:GetObject', objectArn)],
        objectRead: { bucket, key },
      };
    // HEAD is authorized as GetObject: https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
    case 'HEAD':
      return {
        kind: 'requests',
        requests: [one(versioned ? 's3:GetObjectVersion' : 's3:GetObject', objectArn)],
        objectRead: { bucket, key },
      };
    case 'PUT': {
      const copySource = header(request.headers, 'x-amz-copy-source');
      if (!copySource) return needs(one('s3:PutObject', objectArn));
      // CopyObject (and UploadPartCopy) read the source with GetObject and write with PutObject.
      const [sourcePath = '', sourceQuery = ''] = decodeURIComponent(copySource).split('?');
      const source = `arn:aws:s3:::${sourcePath.replace(/^\//, '')}`;
      return needs(
        one(sourceQuery.includes('versionId=') ? 's3:GetObjectVersion' : 's3:GetObject', source),
        one('s3:PutObject', objectArn),
      );
    }
    // CreateMultipartUpload and CompleteMultipartUpload are authorized as PutObject.
    case 'POST':
      if (query.has('uploads') || query.has('uploadId'))
        return needs(one('s3:PutObject', objectArn));
      if (query.has('restore')) return needs(one('s3:RestoreObject', objectArn));
      return unknown(`s3 POST on ${bucket}/${key}`);
    case 'DELETE':
      if (query.has('uploadId')) return needs(one('s3:AbortMultipartUpload', objectArn));
      return needs(one(versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', objectArn));
    default:
      return unknown(`s3 ${method} on ${bucket}/${key}`);
  }
}

// ── SES v2 (REST-JSON) ──────────────────────────────────────────────────────────────────────────
// https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html

/** The address and display name of `Shop <orders@shop.example.com>` or `orders@shop.example.com`. */
export function parseMailbox(mailbox: string): { address: string; displayName?: string } {
  const angle = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(mailbox);
  if (!angle) return { address: mailbox.trim() };
  const displayName = angle[1]?.replace(/^"|"$/g, '');
  return { address: angle[2]?.trim() ?? '', ...(displayName ? { displayName } : {}) };
}

function ses(request: SignedRequest): IamMapping {
  const { pathname } = new URL(request.url, 'http://local');
  const method = request.method.toUpperCase();
  const sendAction =
    method === 'POST' && pathname === '/v2/email/outbound-emails'
      ? 'ses:SendEmail'
      : method === 'POST' && pathname === '/v2/email/outbound-bulk-emails'
        ? 'ses:SendBulkEmail'
        : undefined;
  if (!sendAction) return unknown(`ses ${method} ${pathname}`);
  const body = jsonBody(request.body);
  if (!body || typeof body.FromEmailAddress !== 'string') {
    return unknown(`ses ${sendAction} without a FromEmailAddress`);
  }
  const { address, displayName } = parseMailbox(body.FromEmailAddress);
  const identity = (name: string) =>
    `arn:aws:ses:${request.region}:${LOCAL_ACCOUNT_ID}:identity/${name}`;
  const destination = (body.Destination ?? {}) as Record<string, string[] | undefined>;
  const recipients = [
    ...(destination.ToAddresses ?? []),
    ...(destination.CcAddresses ?? []),
    ...(destination.BccAddresses ?? []),
  ].map((mailbox) => parseMailbox(mailbox).address);
  const context: IamRequest['context'] = {
    'ses:FromAddress': address,
    'ses:ApiVersion': '2',
    ...(displayName ? { 'ses:FromDisplayName': displayName } : {}),
    ...(recipients.length > 0 ? { 'ses:Recipients': recipients } : {}),
  };
  const domain = address.split('@')[1];
  const identities =
    typeof body.FromEmailAddressIdentityArn === 'string'
      ? [body.FromEmailAddressIdentityArn]
      : [identity(address), ...(domain ? [identity(domain)] : [])];
  const requests: IamRequest[] = [{ action: sendAction, resources: identities, context }];
  if (typeof body.ConfigurationSetName === 'string') {
    requests.push(
      one(
        sendAction,
        `arn:aws:ses:${request.region}:${LOCAL_ACCOUNT_ID}:configuration-set/${body.ConfigurationSetName}`,
        context,
      ),
    );
  }
  return needs(...requests);
}
