import { functionNameOf } from '../../src/gateway/iam/IamEnforcer';
import {
  type IamMapping,
  iamRequestsFor,
  parseMailbox,
  type SignedRequest,
} from '../../src/gateway/iam/iamRequests';

// The plugin that gives functions their credentials and the endpoint that reads them must agree.
const {
  functionCredentials,
} = require('../../../serverless-common/plugins/localCloudCredentials.cjs');

const REGION = 'eu-west-1';
const TABLE = (name: string) => `arn:aws:dynamodb:${REGION}:000000000000:table/${name}`;

const request = (overrides: Partial<SignedRequest>): SignedRequest => ({
  method: 'POST',
  url: '/',
  headers: { host: '127.0.0.1:4566' },
  region: REGION,
  ...overrides,
});

const dynamodb = (operation: string, body: unknown) =>
  iamRequestsFor(
    'dynamodb',
    request({
      headers: { 'x-amz-target': `DynamoDB_20120810.${operation}` },
      body: JSON.stringify(body),
    }),
  );

/** The action and resources of each authorization a mapping needs. */
const needs = (mapping: IamMapping) =>
  mapping.kind === 'requests'
    ? mapping.requests.map(({ action, resources }) => [action, ...resources])
    : mapping;

describe('Function: iamRequestsFor', () => {
  describe('DynamoDB', () => {
    it('maps an item operation to its action on the table', () => {
      expect(needs(dynamodb('PutItem', { TableName: 'orders', Item: {} }))).toEqual([
        ['dynamodb:PutItem', TABLE('orders')],
      ]);
    });

    it('maps a query on an index to the index ARN', () => {
      expect(needs(dynamodb('Query', { TableName: 'orders', IndexName: 'byCustomer' }))).toEqual([
        ['dynamodb:Query', `${TABLE('orders')}/index/byCustomer`],
      ]);
    });

    it('needs a batch action on every table of the batch', () => {
      const mapping = dynamodb('BatchWriteItem', { RequestItems: { orders: [], outbox: [] } });

      expect(needs(mapping)).toEqual([
        ['dynamodb:BatchWriteItem', TABLE('orders')],
        ['dynamodb:BatchWriteItem', TABLE('outbox')],
      ]);
    });

    it('needs each transaction member’s own action', () => {
      const mapping = dynamodb('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'orders' } },
          { ConditionCheck: { TableName: 'stock' } },
        ],
      });

      expect(needs(mapping)).toEqual([
        ['dynamodb:PutItem', TABLE('orders')],
        ['dynamodb:ConditionCheckItem', TABLE('stock')],
      ]);
    });

    it('takes a table ARN as the table name as it is', () => {
      expect(needs(dynamodb('GetItem', { TableName: TABLE('x') }))).toEqual([
        ['dynamodb:GetItem', TABLE('x')],
      ]);
    });

    it('cannot tell the action of a request without X-Amz-Target', () => {
      expect(iamRequestsFor('dynamodb', request({ body: '{}' })).kind).toBe('unknown');
    });
  });

  describe('SQS', () => {
    const queueUrl = 'http://127.0.0.1:4566/000000000000/shop-order-local-events-dlq';
    const queueArn = `arn:aws:sqs:${REGION}:000000000000:shop-order-local-events-dlq`;

    it('authorizes a JSON-protocol batch as the single-message action on the queue', () => {
      const mapping = iamRequestsFor(
        'sqs',
        request({
          headers: { 'x-amz-target': 'AmazonSQS.SendMessageBatch' },
          body: JSON.stringify({ QueueUrl: queueUrl, Entries: [] }),
        }),
      );

      expect(needs(mapping)).toEqual([['sqs:SendMessage', queueArn]]);
    });

    it('reads the action and queue of the query protocol, the queue URL from the path too', () => {
      const mapping = iamRequestsFor(
        'sqs',
        request({
          url: '/000000000000/shop-order-local-events-dlq',
          headers: {
            host: '127.0.0.1:4566',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'Action=ChangeMessageVisibility&ReceiptHandle=r&VisibilityTimeout=2',
        }),
      );

      expect(needs(mapping)).toEqual([['sqs:ChangeMessageVisibility', queueArn]]);
    });

    it('names the queue of GetQueueUrl by its name', () => {
      const mapping = iamRequestsFor(
        'sqs',
        request({
          headers: { 'x-amz-target': 'AmazonSQS.GetQueueUrl' },
          body: JSON.stringify({ QueueName: 'shop-order-local-events-dlq' }),
        }),
      );

      expect(needs(mapping)).toEqual([['sqs:GetQueueUrl', queueArn]]);
    });
  });

  describe('SNS', () => {
    const topicArn = `arn:aws:sns:${REGION}:000000000000:shop-events-local`;

    it.each(['Publish', 'PublishBatch'])('authorizes %s as sns:Publish on the topic', (action) => {
      const mapping = iamRequestsFor(
        'sns',
        request({ body: `Action=${action}&TopicArn=${encodeURIComponent(topicArn)}&Message=m` }),
      );

      expect(needs(mapping)).toEqual([['sns:Publish', topicArn]]);
    });
  });

  describe('S3', () => {
    const s3 = (method: string, url: string, headers: Record<string, string> = {}) =>
      iamRequestsFor(
        's3',
        request({ method, url, headers: { host: '127.0.0.1:4566', ...headers } }),
      );

    it('maps GET and HEAD of an object to GetObject and marks them as object reads', () => {
      for (const method of ['GET', 'HEAD']) {
        const mapping = s3(method, '/media/uploads/a%20b.jpg');
        expect(needs(mapping)).toEqual([['s3:GetObject', 'arn:aws:s3:::media/uploads/a b.jpg']]);
        expect(mapping).toMatchObject({ objectRead: { bucket: 'media', key: 'uploads/a b.jpg' } });
      }
    });

    it('maps a presigned PUT to PutObject, whatever its query', () => {
      const mapping = s3(
        'PUT',
        '/media/uploads/x.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=local-cloud%2Ff',
      );

      expect(needs(mapping)).toEqual([['s3:PutObject', 'arn:aws:s3:::media/uploads/x.png']]);
    });

    it('needs GetObject on the source and PutObject on the target of a copy', () => {
      const mapping = s3('PUT', '/media/thumbnails/x.png', {
        'x-amz-copy-source': '/media/uploads/x.png',
      });

      expect(needs(mapping)).toEqual([
        ['s3:GetObject', 'arn:aws:s3:::media/uploads/x.png'],
        ['s3:PutObject', 'arn:aws:s3:::media/thumbnails/x.png'],
      ]);
    });

    it('maps a listing to ListBucket with its prefix as s3:prefix', () => {
      const mapping = s3('GET', '/media?list-type=2&prefix=uploads%2F');

      expect(mapping).toEqual({
        kind: 'requests',
        requests: [
          {
            action: 's3:ListBucket',
            resources: ['arn:aws:s3:::media'],
            context: { 's3:prefix': 'uploads/' },
          },
        ],
      });
    });

    it('reads the bucket of a virtual-hosted-style request from the host', () => {
      const mapping = iamRequestsFor(
        's3',
        request({ method: 'DELETE', url: '/k', headers: { host: 'media.s3.localhost:4566' } }),
      );

      expect(needs(mapping)).toEqual([['s3:DeleteObject', 'arn:aws:s3:::media/k']]);
    });

    it('authorizes multipart uploads as PutObject and their abort as AbortMultipartUpload', () => {
      expect(needs(s3('POST', '/media/big?uploads'))).toEqual([
        ['s3:PutObject', 'arn:aws:s3:::media/big'],
      ]);
      expect(needs(s3('PUT', '/media/big?partNumber=1&uploadId=u'))).toEqual([
        ['s3:PutObject', 'arn:aws:s3:::media/big'],
      ]);
      expect(needs(s3('DELETE', '/media/big?uploadId=u'))).toEqual([
        ['s3:AbortMultipartUpload', 'arn:aws:s3:::media/big'],
      ]);
    });

    it('needs no authorization for a CORS preflight', () => {
      expect(needs(s3('OPTIONS', '/media/uploads/x.png'))).toEqual([]);
    });
  });

  describe('SES v2', () => {
    it('authorizes SendEmail on the From address’s identity or its domain’s, with its condition keys', () => {
      const mapping = iamRequestsFor(
        'ses',
        request({
          url: '/v2/email/outbound-emails',
          body: JSON.stringify({
            FromEmailAddress: 'Shop <orders@shop.example.com>',
            Destination: {
              ToAddresses: ['Ada <ada@example.com>'],
              BccAddresses: ['b@example.com'],
            },
          }),
        }),
      );

      expect(mapping).toEqual({
        kind: 'requests',
        requests: [
          {
            action: 'ses:SendEmail',
            resources: [
              `arn:aws:ses:${REGION}:000000000000:identity/orders@shop.example.com`,
              `arn:aws:ses:${REGION}:000000000000:identity/shop.example.com`,
            ],
            context: {
              'ses:FromAddress': 'orders@shop.example.com',
              'ses:FromDisplayName': 'Shop',
              'ses:ApiVersion': '2',
              'ses:Recipients': ['ada@example.com', 'b@example.com'],
            },
          },
        ],
      });
    });

    it('cannot tell other SES calls', () => {
      expect(
        iamRequestsFor('ses', request({ method: 'GET', url: '/v2/email/identities' })).kind,
      ).toBe('unknown');
    });
  });

  it('cannot tell the action of a service it does not map', () => {
    expect(iamRequestsFor('cognito-idp', request({})).kind).toBe('unknown');
  });
});

describe('Function: parseMailbox', () => {
  it.each([
    ['orders@shop.example.com', { address: 'orders@shop.example.com' }],
    [
      '"The Shop" <orders@shop.example.com>',
      { address: 'orders@shop.example.com', displayName: 'The Shop' },
    ],
  ])('parses %s', (mailbox, parsed) => {
    expect(parseMailbox(mailbox)).toEqual(parsed);
  });
});

describe('Function: functionNameOf', () => {
  const name = 'shop-thumbnail-local-createUploadUrl';

  it('reads the function from the session token the serverless-common plugin gives it', () => {
    const { AWS_SESSION_TOKEN, AWS_ACCESS_KEY_ID } = functionCredentials(name);

    expect(
      functionNameOf({ url: '/', headers: { 'x-amz-security-token': AWS_SESSION_TOKEN } }),
    ).toBe(name);
    expect(AWS_ACCESS_KEY_ID).toMatch(/^ASIA[0-9A-F]{16}$/);
  });

  it('reads it from a presigned URL’s X-Amz-Security-Token', () => {
    const url = `/media/uploads/x.png?X-Amz-Security-Token=${encodeURIComponent(functionCredentials(name).AWS_SESSION_TOKEN)}`;

    expect(functionNameOf({ url, headers: {} })).toBe(name);
  });

  it('takes other credentials (the developer’s, tests’) for no function', () => {
    expect(functionNameOf({ url: '/', headers: {} })).toBeUndefined();
    expect(
      functionNameOf({ url: '/', headers: { 'x-amz-security-token': 'FwoGZXIvYXdzE…' } }),
    ).toBeUndefined();
  });
});
