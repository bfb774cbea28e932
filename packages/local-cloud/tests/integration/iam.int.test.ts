import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { IamCounts } from '../../src/gateway/iam/IamEnforcer';
import { pollUntil } from '../../src/net';
import {
  type LocalCloudProcess,
  startLocalCloudProcess,
} from '../../src/testing/localCloudProcess';

// IAM on the local cloud, with a fixture service (tests/fixtures/iam-probe) whose functions make
// one AWS call each under roles that lack grants on purpose, and whose queues are subscribed to
// the bus with a policy that lets it in and one that does not. Only the fixture runs under
// serverless-offline; every stack is provisioned.

jest.setTimeout(600_000);

const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'iam-probe');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Log lines reach the output as the process writes them; messages as the bus fans out. */
const WAIT = { timeoutMs: 30_000 };

type Outcome =
  | { ok: true; url?: string }
  | { error: { name: string; status: number; message: string } };

/** Boots the local cloud with the fixture, in an IAM mode. */
function boot(mode: 'enforce' | 'warn') {
  return startLocalCloudProcess({
    only: ['iam-probe'],
    with: [FIXTURE_DIR],
    env: { LOCAL_CLOUD_IAM: mode },
    // The first boot after a change to the shared packages packages every service again.
    timeoutMs: 540_000,
  });
}

/** Invokes a fixture function, as Lambda would, with the call it is to make. */
async function invoke(cloud: LocalCloudProcess, fn: 'actor' | 'lister', call: string) {
  const { lambdaPort } = cloud.services.find((s) => s.name === 'iam-probe') ?? {};
  const name = `shop-iamprobe-${cloud.stage}-${fn}`;
  const response = await fetch(
    `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/${name}/invocations`,
    { method: 'POST', body: JSON.stringify({ call }) },
  );
  return (await response.json()) as Outcome;
}

/** The local cloud's own lines (not the services'): start-up report and IAM log lines. */
const ownLines = (cloud: LocalCloudProcess) =>
  cloud.output().filter((line) => !line.startsWith('['));

/** Publishes the fixture's event type to the bus with test (administrator) credentials. */
async function publishPing(cloud: LocalCloudProcess, sns: SNSClient) {
  await sns.send(
    new PublishCommand({
      TopicArn: `arn:aws:sns:${cloud.region}:000000000000:shop-events-${cloud.stage}`,
      Message: JSON.stringify({ ping: Date.now() }),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: 'IamProbePing' } },
    }),
  );
}

async function receiveAll(sqs: SQSClient, queueName: string) {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
  );
  return Messages;
}

describe('IAM on the local cloud (LOCAL_CLOUD_IAM=enforce)', () => {
  let cloud: LocalCloudProcess;
  let sqs: SQSClient;
  let sns: SNSClient;

  beforeAll(async () => {
    cloud = await boot('enforce');
    const config = { endpoint: cloud.awsEndpoint, region: cloud.region, credentials };
    sqs = new SQSClient(config);
    sns = new SNSClient(config);
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('lets a function make the calls its role allows', async () => {
    await expect(invoke(cloud, 'actor', 'dynamodb:GetItem')).resolves.toEqual({ ok: true });
  });

  it('refuses the call its role lacks with DynamoDB’s error, and logs the action, resource and grant', async () => {
    const table = `arn:aws:dynamodb:${cloud.region}:000000000000:table/shop-iamprobe-${cloud.stage}-items`;
    const session = `arn:aws:sts::000000000000:assumed-role/shop-iamprobe-${cloud.stage}-actor/shop-iamprobe-${cloud.stage}-actor`;

    const outcome = await invoke(cloud, 'actor', 'dynamodb:PutItem');

    expect(outcome).toEqual({
      error: {
        name: 'AccessDeniedException',
        status: 400,
        message: `User: ${session} is not authorized to perform: dynamodb:PutItem on resource: ${table} because no identity-based policy allows the dynamodb:PutItem action`,
      },
    });
    const logged = await pollUntil(
      'the denial’s log line',
      async () =>
        ownLines(cloud).find(
          (line) => line.includes('IAM denied') && line.includes('dynamodb:PutItem'),
        ),
      WAIT,
    );
    expect(logged).toContain(`shop-iamprobe-${cloud.stage}-actor  dynamodb:PutItem on ${table}`);
    expect(logged).toContain(
      `{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"${table}"}`,
    );
  });

  it('refuses SNS and SQS calls in their own error shapes, as the SDK reports them', async () => {
    const publish = await invoke(cloud, 'actor', 'sns:Publish');
    const send = await invoke(cloud, 'actor', 'sqs:SendMessage');

    expect(publish).toMatchObject({
      error: {
        // The SDK's name for the AuthorizationError code, as on AWS.
        name: 'AuthorizationErrorException',
        status: 403,
        message: expect.stringContaining('SNS:Publish'),
      },
    });
    expect(send).toMatchObject({
      error: {
        name: 'AccessDenied',
        status: 403,
        message: expect.stringContaining('sqs:sendmessage'),
      },
    });
  });

  it('answers a missing key 403 to a function that may not list the bucket, 404 to one that may', async () => {
    const actor = await invoke(cloud, 'actor', 's3:GetObject');
    const lister = await invoke(cloud, 'lister', 's3:GetObject');

    expect(actor).toMatchObject({ error: { name: 'AccessDenied', status: 403 } });
    expect(lister).toMatchObject({ error: { name: 'NoSuchKey', status: 404 } });
  });

  it('evaluates a presigned URL against the role of the function that signed it', async () => {
    const put = async (fn: 'actor' | 'lister') => {
      const signed = await invoke(cloud, fn, 's3:PutObject presigned');
      if (!('ok' in signed) || !signed.url) throw new Error(`no URL: ${JSON.stringify(signed)}`);
      return fetch(signed.url, { method: 'PUT', body: 'probe' });
    };

    const allowed = await put('lister');
    const refused = await put('actor');

    expect(allowed.status).toBe(200);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('delivers nothing to a queue whose policy does not let the bus in, and says so at start', async () => {
    expect(ownLines(cloud).join('\n')).toMatch(
      /RefusedSubscription: the policy of queue shop-iamprobe-\w+-refused does not allow topic shop-events-\w+ .*; not subscribed/,
    );

    await publishPing(cloud, sns);

    // The bus fans out to both queues at once: once the allowed one has it, the other would too.
    await pollUntil(
      'the ping on the allowed queue',
      async () => {
        const messages = await receiveAll(sqs, `shop-iamprobe-${cloud.stage}-allowed`);
        return messages.length > 0 ? messages : undefined;
      },
      WAIT,
    );
    await expect(receiveAll(sqs, `shop-iamprobe-${cloud.stage}-refused`)).resolves.toEqual([]);
  });

  it('counts every refusal and sums them up when it stops', async () => {
    // The ready line reports the mode and the counts at start: nothing refused yet.
    expect((cloud as unknown as { iam: IamCounts }).iam).toMatchObject({
      mode: 'enforce',
      denied: 0,
    });
    await invoke(cloud, 'actor', 'dynamodb:PutItem');

    await cloud.stop();

    const lines = ownLines(cloud);
    const total = lines.find((line) => line.includes('function requests evaluated this run'));
    // Refused: PutItem twice, Publish, SendMessage, the ListBucket behind the missing key's 403
    // and the actor's presigned PUT; evaluated besides: GetItem, the lister's read and its PUT.
    expect(total).toBe('IAM: 9 function requests evaluated this run, 6 refused:');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}2× shop-iamprobe-\w+-actor {2}dynamodb:PutItem on arn:aws:dynamodb:/,
      ),
    );
  });
});

describe('IAM on the local cloud (LOCAL_CLOUD_IAM=warn)', () => {
  let cloud: LocalCloudProcess;
  let sqs: SQSClient;
  let sns: SNSClient;

  beforeAll(async () => {
    cloud = await boot('warn');
    const config = { endpoint: cloud.awsEndpoint, region: cloud.region, credentials };
    sqs = new SQSClient(config);
    sns = new SNSClient(config);
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('lets the call through and logs that AWS would refuse it', async () => {
    await expect(invoke(cloud, 'actor', 'dynamodb:PutItem')).resolves.toEqual({ ok: true });

    const logged = await pollUntil(
      'the warning',
      async () =>
        ownLines(cloud).find(
          (line) => line.includes('would deny on AWS') && line.includes('dynamodb:PutItem'),
        ),
      WAIT,
    );
    expect(logged).toContain(`shop-iamprobe-${cloud.stage}-actor`);
  });

  it('answers the missing key 404, logging the 403 AWS would give', async () => {
    await expect(invoke(cloud, 'actor', 's3:GetObject')).resolves.toMatchObject({
      error: { name: 'NoSuchKey', status: 404 },
    });
    expect(ownLines(cloud).join('\n')).toContain('answers 403, not 404, without s3:ListBucket');
  });

  it('subscribes the refused queue anyway, saying so', async () => {
    expect(ownLines(cloud).join('\n')).toMatch(/RefusedSubscription: .*subscribed anyway/);

    await publishPing(cloud, sns);

    await pollUntil(
      'the ping on the refused queue',
      async () => {
        const messages = await receiveAll(sqs, `shop-iamprobe-${cloud.stage}-refused`);
        return messages.length > 0 ? messages : undefined;
      },
      WAIT,
    );
  });
});
