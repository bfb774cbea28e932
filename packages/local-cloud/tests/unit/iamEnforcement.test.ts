import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { LocalRole, ResourcePolicy } from '../../src/cloudformation/iamResources';
import {
  type AwsClients,
  type ProvisionedStack,
  provisionStack,
} from '../../src/cloudformation/provision';
import type { CfnTemplate } from '../../src/cloudformation/template';
import { deniedMessage } from '../../src/gateway/iam/accessDenied';
import {
  IamEnforcer,
  type IamMode,
  iamModeFrom,
  type Verdict,
} from '../../src/gateway/iam/IamEnforcer';

// Evaluation of functions' requests against their roles, and of deliveries against queue
// policies, with @cloud-copilot/iam-simulate: no emulators, requests built by hand.

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const FUNCTION = 'shop-probe-local-writer';
const ROLE = 'shop-probe-local-writer-eu-west-1-lambdaRole';
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/${FUNCTION}`;
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/items`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:probe-events`;
const QUEUE_URL = `http://127.0.0.1:4566/${ACCOUNT}/probe-events`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:shop-events-local`;
const BUCKET = 'media';

const role: LocalRole = {
  logicalId: 'WriterRole',
  name: ROLE,
  arn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`,
  managedPolicyArns: [],
  policies: [
    {
      name: 'writer',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/uploads/*` },
          {
            Effect: 'Allow',
            Action: 'ses:SendEmail',
            Resource: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/shop.example.com`,
            Condition: { StringEquals: { 'ses:FromAddress': 'orders@shop.example.com' } },
          },
        ],
      },
    },
  ],
};

const lister: LocalRole = {
  ...role,
  logicalId: 'ListerRole',
  name: 'lister-role',
  arn: `arn:aws:iam::${ACCOUNT}:role/lister-role`,
  policies: [
    {
      name: 'lister',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
        ],
      },
    },
  ],
};

const bucketPolicy: ResourcePolicy = {
  logicalId: 'MediaBucketPolicy',
  type: 'AWS::S3::BucketPolicy',
  resourceArns: [`arn:aws:s3:::${BUCKET}`],
  document: {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'NothingTouchesSecrets',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/uploads/secret/*`,
      },
    ],
  },
};

const queuePolicy = (sourceArn: string): ResourcePolicy => ({
  logicalId: 'EventsQueuePolicy',
  type: 'AWS::SQS::QueuePolicy',
  resourceArns: [QUEUE],
  document: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: QUEUE,
        Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } },
      },
    ],
  },
});

function stack(overrides: Partial<ProvisionedStack> = {}): ProvisionedStack {
  return {
    stackName: 'shop-probe-local',
    resources: new Map(),
    resourceTypes: new Map(),
    exports: new Map(),
    eventSourceMappings: [],
    bucketNotifications: [],
    created: [],
    unsupported: [],
    roles: [role, lister],
    functionRoles: [
      { functionName: FUNCTION, roleArn: role.arn },
      { functionName: 'lister', roleArn: lister.arn },
    ],
    resourcePolicies: [bucketPolicy],
    refusedDeliveries: [],
    ...overrides,
  };
}

async function enforcer(mode: IamMode = 'enforce') {
  const lines: string[] = [];
  const iam = new IamEnforcer({ mode, log: (line) => lines.push(line) });
  iam.record(bucketPolicy);
  await iam.configure([stack()]);
  lines.length = 0;
  return { iam, lines };
}

/** A request as the gateway receives it: signed for `service` in REGION, with a body. */
function signed(
  service: string,
  options: { method?: string; url?: string; headers?: Record<string, string>; body?: string },
): IncomingMessage {
  const stream = Readable.from(options.body === undefined ? [] : [Buffer.from(options.body)]);
  return Object.assign(stream, {
    method: options.method ?? 'POST',
    url: options.url ?? '/',
    headers: {
      host: '127.0.0.1:4566',
      authorization: `AWS4-HMAC-SHA256 Credential=ASIA0/20261128/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      'x-amz-security-token': `local-cloud/${FUNCTION}`,
      ...options.headers,
    },
  }) as unknown as IncomingMessage;
}

const dynamodb = (operation: string, body: unknown) =>
  signed('dynamodb', {
    headers: { 'x-amz-target': `DynamoDB_20120810.${operation}` },
    body: JSON.stringify(body),
  });

function refused(verdict: Verdict) {
  if (verdict.allowed) throw new Error('expected a refusal');
  return { ...verdict.answer, json: () => JSON.parse(verdict.answer.body) };
}

/** What a replacement answer sends. */
function sent(send: (res: ServerResponse) => void) {
  const out = { status: 0, headers: {} as Record<string, unknown>, body: '' };
  send({
    writeHead: (status: number, headers: Record<string, unknown>) => {
      out.status = status;
      out.headers = headers;
    },
    end: (body?: Buffer | string) => {
      out.body = body?.toString() ?? '';
    },
  } as unknown as ServerResponse);
  return out;
}

const notFound = (body: string) =>
  Object.assign(Readable.from([Buffer.from(body)]), {
    statusCode: 404,
    headers: { 'content-type': 'application/xml' },
  }) as unknown as IncomingMessage;

describe('Class: IamEnforcer', () => {
  describe('Method: authorize', () => {
    it('lets through what the role allows, handing back the body it read', async () => {
      const { iam } = await enforcer();

      const verdict = await iam.authorize(
        FUNCTION,
        'dynamodb',
        dynamodb('PutItem', { TableName: 'items' }),
      );

      expect(verdict).toMatchObject({ allowed: true });
      expect(verdict.allowed && verdict.body?.toString()).toBe('{"TableName":"items"}');
    });

    it('refuses what the role does not allow with DynamoDB’s AccessDeniedException', async () => {
      const { iam } = await enforcer();

      const answer = refused(
        await iam.authorize(FUNCTION, 'dynamodb', dynamodb('DeleteItem', { TableName: 'items' })),
      );

      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({
        __type: 'com.amazon.coral.service#AccessDeniedException',
        message: `User: ${SESSION} is not authorized to perform: dynamodb:DeleteItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:DeleteItem action`,
      });
    });

    it('logs a refusal once per function, action and resource, with the statement to add, and counts each', async () => {
      const { iam, lines } = await enforcer();

      for (let i = 0; i < 3; i++) {
        await iam.authorize(FUNCTION, 'dynamodb', dynamodb('DeleteItem', { TableName: 'items' }));
      }

      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`IAM denied  ${FUNCTION}  dynamodb:DeleteItem on ${TABLE}`);
      expect(lines[0]).toContain(
        `{"Effect":"Allow","Action":"dynamodb:DeleteItem","Resource":"${TABLE}"}`,
      );
      expect(iam.counts()).toMatchObject({
        mode: 'enforce',
        evaluated: 3,
        denied: 3,
        warned: 0,
        byRequest: [
          { functionName: FUNCTION, action: 'dynamodb:DeleteItem', resource: TABLE, count: 3 },
        ],
      });
    });

    it('lets it through in warn mode, logging what AWS would refuse', async () => {
      const { iam, lines } = await enforcer('warn');

      const verdict = await iam.authorize(
        FUNCTION,
        'dynamodb',
        dynamodb('DeleteItem', { TableName: 'items' }),
      );

      expect(verdict.allowed).toBe(true);
      expect(lines[0]).toContain('would deny on AWS');
      expect(iam.counts()).toMatchObject({ denied: 0, warned: 1 });
    });

    it('refuses a batch when the role misses any one table', async () => {
      const { iam } = await enforcer();

      const answer = refused(
        await iam.authorize(
          FUNCTION,
          'dynamodb',
          dynamodb('BatchWriteItem', { RequestItems: { items: [], other: [] } }),
        ),
      );

      expect(answer.json().message).toContain(`dynamodb:BatchWriteItem on resource: ${TABLE}`);
    });

    it('answers SQS’s JSON protocol with AccessDenied in its query-compatibility header', async () => {
      const { iam } = await enforcer();

      const answer = refused(
        await iam.authorize(
          FUNCTION,
          'sqs',
          signed('sqs', {
            headers: { 'x-amz-target': 'AmazonSQS.SendMessage' },
            body: JSON.stringify({ QueueUrl: QUEUE_URL, MessageBody: 'm' }),
          }),
        ),
      );

      expect(answer.status).toBe(403);
      expect(answer.headers['x-amzn-query-error']).toBe('AccessDenied;Sender');
      expect(answer.json().message).toBe(
        `User: ${SESSION} is not authorized to perform: sqs:sendmessage on resource: ${QUEUE} because no identity-based policy allows the sqs:sendmessage action`,
      );
    });

    it('answers SQS’s query protocol in XML', async () => {
      const { iam } = await enforcer();

      const answer = refused(
        await iam.authorize(
          FUNCTION,
          'sqs',
          signed('sqs', {
            url: `/${ACCOUNT}/probe-events`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'Action=SendMessage&MessageBody=m',
          }),
        ),
      );

      expect(answer.status).toBe(403);
      expect(answer.body).toContain('<Code>AccessDenied</Code>');
    });

    it('answers SNS with AuthorizationError, the action spelled as SNS spells it', async () => {
      const { iam } = await enforcer();

      const answer = refused(
        await iam.authorize(
          FUNCTION,
          'sns',
          signed('sns', { body: `Action=Publish&TopicArn=${encodeURIComponent(TOPIC)}&Message=m` }),
        ),
      );

      expect(answer.status).toBe(403);
      expect(answer.body).toContain('<Type>Sender</Type><Code>AuthorizationError</Code>');
      expect(answer.body).toContain(
        `is not authorized to perform: SNS:Publish on resource: ${TOPIC} because no identity-based policy allows the SNS:Publish action`,
      );
    });

    it('answers S3 with a bare Access Denied, and HEAD without a body', async () => {
      const { iam } = await enforcer();

      const get = refused(
        await iam.authorize(
          FUNCTION,
          's3',
          signed('s3', { method: 'GET', url: `/${BUCKET}/thumbnails/a` }),
        ),
      );
      const head = refused(
        await iam.authorize(
          FUNCTION,
          's3',
          signed('s3', { method: 'HEAD', url: `/${BUCKET}/thumbnails/a` }),
        ),
      );

      expect(get.status).toBe(403);
      expect(get.body).toContain('<Code>AccessDenied</Code><Message>Access Denied</Message>');
      expect(head).toMatchObject({ status: 403, body: '' });
    });

    it('evaluates the bucket policy: its TLS deny does not match local traffic, its other denies do', async () => {
      const { iam, lines } = await enforcer();

      const allowed = await iam.authorize(
        FUNCTION,
        's3',
        signed('s3', { method: 'GET', url: `/${BUCKET}/uploads/a` }),
      );
      const denied = refused(
        await iam.authorize(
          FUNCTION,
          's3',
          signed('s3', { method: 'GET', url: `/${BUCKET}/uploads/secret/a` }),
        ),
      );

      expect(allowed.allowed).toBe(true);
      expect(denied.status).toBe(403);
      expect(lines.join('\n')).toContain('explicitly denied by the resource policy');
    });

    it('sends email only from the address its condition names', async () => {
      const { iam } = await enforcer();
      const send = (from: string) =>
        signed('ses', {
          url: '/v2/email/outbound-emails',
          body: JSON.stringify({
            FromEmailAddress: from,
            Destination: { ToAddresses: ['a@example.com'] },
          }),
        });

      const allowed = await iam.authorize(FUNCTION, 'ses', send('Shop <orders@shop.example.com>'));
      const denied = refused(
        await iam.authorize(FUNCTION, 'ses', send('billing@shop.example.com')),
      );

      expect(allowed.allowed).toBe(true);
      expect(denied.status).toBe(403);
      expect(denied.headers['x-amzn-ErrorType']).toBe('AccessDeniedException');
      expect(denied.json().message).toContain(
        `ses:SendEmail on resource: arn:aws:ses:${REGION}:${ACCOUNT}:identity/billing@shop.example.com`,
      );
    });

    it('lets through, logged once, what it cannot tell the action of', async () => {
      const { iam, lines } = await enforcer();

      const verdict = await iam.authorize(
        FUNCTION,
        'cognito-idp',
        signed('cognito-idp', { body: '{}' }),
      );

      expect(verdict.allowed).toBe(true);
      expect(lines[0]).toContain('IAM not evaluated');
      expect(iam.counts().unchecked).toBe(1);
    });
  });

  describe('Method: authorize, reading a missing object', () => {
    const missing = async (functionName: string, mode: IamMode = 'enforce') => {
      const { iam, lines } = await enforcer(mode);
      const verdict = await iam.authorize(
        functionName,
        's3',
        signed('s3', {
          method: 'GET',
          url: `/${BUCKET}/uploads/gone.jpg`,
          headers: { 'x-amz-security-token': `local-cloud/${functionName}` },
        }),
      );
      if (!verdict.allowed || !verdict.intercept) throw new Error('expected an object read');
      const send = await verdict.intercept(notFound('<Error><Code>NoSuchKey</Code></Error>'));
      if (!send) throw new Error('expected an answer');
      return { answer: sent(send), lines };
    };

    it('answers 403 when the caller may not list the bucket, as S3 does', async () => {
      const { answer, lines } = await missing(FUNCTION);

      expect(answer.status).toBe(403);
      expect(answer.body).toContain('<Code>AccessDenied</Code>');
      expect(lines[0]).toContain(
        `reading missing key uploads/gone.jpg answers 403, not 404, without s3:ListBucket on arn:aws:s3:::${BUCKET}`,
      );
    });

    it('answers the 404 when the caller may list the bucket', async () => {
      const { answer } = await missing('lister');

      expect(answer.status).toBe(404);
      expect(answer.body).toContain('NoSuchKey');
    });

    it('answers the 404 in warn mode, logging the 403 AWS would give', async () => {
      const { answer, lines } = await missing(FUNCTION, 'warn');

      expect(answer.status).toBe(404);
      expect(lines[0]).toContain('would deny on AWS');
    });

    it('leaves other answers alone', async () => {
      const { iam } = await enforcer();
      const verdict = await iam.authorize(
        FUNCTION,
        's3',
        signed('s3', { method: 'GET', url: `/${BUCKET}/uploads/a` }),
      );
      const ok = Object.assign(Readable.from([]), {
        statusCode: 200,
        headers: {},
      }) as unknown as IncomingMessage;

      expect(verdict.allowed && verdict.intercept?.(ok)).toBeUndefined();
    });
  });

  describe('Method: allowsDelivery', () => {
    it('lets SNS deliver to a queue only for the topics its policy names', async () => {
      const iam = new IamEnforcer({ mode: 'enforce', log: () => {} });
      iam.record(queuePolicy(TOPIC));

      await expect(iam.allowsDelivery('sns.amazonaws.com', TOPIC, QUEUE)).resolves.toBe(true);
      await expect(
        iam.allowsDelivery('sns.amazonaws.com', `arn:aws:sns:${REGION}:${ACCOUNT}:other`, QUEUE),
      ).resolves.toBe(false);
    });

    it('refuses delivery to a queue without a policy', async () => {
      const iam = new IamEnforcer({ mode: 'enforce', log: () => {} });

      await expect(iam.allowsDelivery('sns.amazonaws.com', TOPIC, QUEUE)).resolves.toBe(false);
    });
  });
});

describe('Function: iamModeFrom', () => {
  it('defaults to enforce and refuses what it does not know', () => {
    expect(iamModeFrom(undefined)).toBe('enforce');
    expect(iamModeFrom(' Warn ')).toBe('warn');
    expect(() => iamModeFrom('strict')).toThrow('LOCAL_CLOUD_IAM=strict');
  });
});

describe('Function: deniedMessage', () => {
  it('words an explicit deny as AWS does', () => {
    expect(
      deniedMessage({
        sessionArn: SESSION,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        reason: 'explicit-resource',
      }),
    ).toBe(
      `User: ${SESSION} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a resource-based policy`,
    );
  });
});

describe('Function: provisionStack, with a delivery gate', () => {
  /** SDK clients that record what they are sent and answer what provisioning reads. */
  function recordingClients() {
    const sent: { command: string; input: Record<string, unknown> }[] = [];
    const send = async (command: {
      constructor: { name: string };
      input: Record<string, unknown>;
    }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      switch (command.constructor.name) {
        case 'CreateQueueCommand':
          return { QueueUrl: `http://127.0.0.1:4566/${ACCOUNT}/${command.input.QueueName}` };
        case 'GetQueueAttributesCommand':
          return {
            Attributes: {
              QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${String(command.input.QueueUrl).split('/').pop()}`,
            },
          };
        case 'SubscribeCommand':
          return { SubscriptionArn: `${command.input.TopicArn}:sub` };
        default:
          return {};
      }
    };
    const client = { send } as never;
    const clients: AwsClients = {
      sns: client,
      sqs: client,
      dynamodb: client,
      s3: client,
      cognito: client,
    };
    return { clients, sent };
  }

  /** A queue subscribed to the bus, whose policy allows `allowedSource`; a function with a role. */
  const template = (allowedSource: string): CfnTemplate => ({
    Resources: {
      // The subscription comes first: provisioning must wait for the queue's policy anyway.
      Subscription: {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { 'Fn::ImportValue': 'bus' },
          Protocol: 'sqs',
          Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] },
        },
      },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'probe-events' } },
      QueuePolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'Queue' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'sns.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] },
                Condition: { ArnEquals: { 'aws:SourceArn': allowedSource } },
              },
            ],
          },
        },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: 'probe-fn', Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] } },
      },
      FnRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { 'Fn::Join': ['-', ['probe', { Ref: 'AWS::Region' }]] },
          Policies: [
            {
              PolicyName: 'p',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'sqs:SendMessage',
                    Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] },
                  },
                ],
              },
            },
          ],
        },
      },
    },
  });

  const provision = async (allowedSource: string, mode: IamMode) => {
    const { clients, sent } = recordingClients();
    const gate = new IamEnforcer({ mode, log: () => {} });
    const stack = await provisionStack(template(allowedSource), {
      stackName: 'probe',
      region: REGION,
      clients,
      imports: new Map([['bus', TOPIC]]),
      gate,
    });
    return { stack, subscribed: sent.filter((s) => s.command === 'SubscribeCommand') };
  };

  it('subscribes a queue whose policy allows the topic', async () => {
    const { stack, subscribed } = await provision(TOPIC, 'enforce');

    expect(subscribed).toHaveLength(1);
    expect(stack.refusedDeliveries).toEqual([]);
  });

  it('does not subscribe, and reports by name, a queue whose policy does not allow the topic', async () => {
    const { stack, subscribed } = await provision(
      `arn:aws:sns:${REGION}:${ACCOUNT}:other`,
      'enforce',
    );

    expect(subscribed).toHaveLength(0);
    expect(stack.refusedDeliveries).toEqual([
      expect.stringMatching(
        /^Subscription: the policy of queue probe-events does not allow topic shop-events-local .*; not subscribed$/,
      ),
    ]);
  });

  it('subscribes it anyway in warn mode, saying so', async () => {
    const { stack, subscribed } = await provision(`arn:aws:sns:${REGION}:${ACCOUNT}:other`, 'warn');

    expect(subscribed).toHaveLength(1);
    expect(stack.refusedDeliveries[0]).toContain('subscribed anyway');
  });

  it('records each function’s role with its policies resolved', async () => {
    const { stack } = await provision(TOPIC, 'enforce');

    expect(stack.functionRoles).toEqual([
      { functionName: 'probe-fn', roleArn: `arn:aws:iam::${ACCOUNT}:role/probe-${REGION}` },
    ]);
    expect(stack.roles).toEqual([
      expect.objectContaining({
        name: `probe-${REGION}`,
        policies: [
          {
            name: 'p',
            document: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'sqs:SendMessage',
                  Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:probe-events`,
                },
              ],
            },
          },
        ],
      }),
    ]);
  });
});
