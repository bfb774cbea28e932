import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { proxyTo } from '../../src/gateway/proxy';
import { LOCAL_HOST, pollUntil } from '../../src/net';
import { findAwsCli, NO_AWS_CLI } from '../helpers/awsCli';

// The AWS endpoint with the real SQS/SNS emulator behind it and a stand-in for the Cognito one:
// what reaches which emulator, in which protocol, and what is refused before anything is reached;
// then Debian's aws CLI, which speaks SQS's query protocol, through all of it.

jest.setTimeout(60_000);

const PACKAGE_DIR = join(__dirname, '..', '..');

// fauxqs ships ESM only, which jest's CommonJS runtime cannot load, so the emulator and the
// gateways run in a child (tsx) and print their ports; closing its stdin stops them.
const HARNESS = `
const { startSqsSns } = require('./src/emulators/sqsSns');
const { startAwsGateway } = require('./src/gateway/awsGateway');
const { freePort } = require('./src/net');
(async () => {
  const sqsSns = await startSqsSns(await freePort());
  const routes = { sqs: sqsSns.port, sns: sqsSns.port };
  const cognito = { 'cognito-idp': Number(process.env.COGNITO_PORT) };
  const handlers = { sqs: sqsSns.handle, sns: sqsSns.handle };
  // As the local cloud wires it: SQS and SNS served in-process, Cognito over HTTP.
  const gateway = await startAwsGateway(0, { routes: { ...routes, ...cognito }, handlers });
  const withoutCognito = await startAwsGateway(0, { routes });
  // Routes to a port nothing listens on: only the in-process hand-over can answer.
  const inProcessOnly = await startAwsGateway(0, { routes: { sqs: 9, sns: 9 }, handlers });
  console.log(JSON.stringify({ gateway: gateway.port, withoutCognito: withoutCognito.port, inProcessOnly: inProcessOnly.port }));
  process.stdin.on('end', async () => {
    await Promise.all([gateway.stop(), withoutCognito.stop(), inProcessOnly.stop()]);
    await sqsSns.stop();
    process.exit(0);
  });
  process.stdin.resume();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

interface Harness {
  child: ChildProcessWithoutNullStreams;
  gateway: number;
  withoutCognito: number;
  inProcessOnly: number;
}

async function startHarness(cognitoPort: number): Promise<Harness> {
  const child = spawn(join(PACKAGE_DIR, 'node_modules', '.bin', 'tsx'), ['-e', HARNESS], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, COGNITO_PORT: String(cognitoPort) },
  });
  let output = '';
  let exitCode: number | null | undefined;
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  child.on('exit', (code) => {
    exitCode = code;
  });
  const ports = await pollUntil(
    'the emulator and the gateways to start',
    async () => {
      if (exitCode !== undefined) throw new Error(`harness exited (${exitCode}):\n${output}`);
      const line = output.split('\n').find((text) => text.startsWith('{"gateway"'));
      return line ? (JSON.parse(line) as Omit<Harness, 'child'>) : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  return { child, ...ports };
}

async function stopHarness(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end();
  const timer = setTimeout(() => child.kill(), 10_000);
  await exited;
  clearTimeout(timer);
}

const signedFor = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=local/20261127/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request to 127.0.0.1:`port`; Node sets `Host: 127.0.0.1:<port>` unless told otherwise. */
function send(
  port: number,
  {
    method = 'POST',
    path = '/',
    headers = {},
    body = '',
  }: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: LOCAL_HOST, port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A query-protocol SQS call, as Debian's aws CLI sends it. */
const sqsQuery = (port: number, body: string, path = '/') =>
  send(port, {
    path,
    headers: { 'content-type': FORM, authorization: signedFor('sqs') },
    body: `${body}&Version=2012-11-05`,
  });

let harness: Harness;
let gateway: { port: number; endpoint: string };
let cognito: Server | undefined;
const cognitoSaw: { method?: string; url?: string; target?: string }[] = [];

beforeAll(async () => {
  const stub = createServer((req, res) => {
    cognitoSaw.push({
      method: req.method,
      url: req.url,
      target: req.headers['x-amz-target'] as string | undefined,
    });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"from":"cognito"}');
  });
  await new Promise<void>((resolve) => stub.listen(0, LOCAL_HOST, resolve));
  cognito = stub;
  harness = await startHarness((stub.address() as AddressInfo).port);
  gateway = { port: harness.gateway, endpoint: `http://${LOCAL_HOST}:${harness.gateway}` };
});

afterAll(async () => {
  if (harness) await stopHarness(harness.child);
  await new Promise((resolve) => (cognito ? cognito.close(resolve) : resolve(undefined)));
});

describe('Loopback guard', () => {
  it('refuses a request addressed to a foreign host (DNS rebinding) with 403 and a reason', async () => {
    // Act
    const answer = await send(gateway.port, {
      headers: { host: `evil.example.com:${gateway.port}`, authorization: signedFor('sqs') },
    });

    // Assess
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({
      title: 'Forbidden',
      status: 403,
      detail: expect.stringContaining('evil.example.com'),
    });
  });

  it("refuses a foreign page's request even when it is addressed to 127.0.0.1", async () => {
    const answer = await send(gateway.port, {
      headers: { origin: 'https://evil.example.com', authorization: signedFor('sqs') },
    });

    expect(answer.status).toBe(403);
    expect(answer.body).toContain('https://evil.example.com');
  });

  it('answers a request target URL parsing rejects with 400 and keeps serving', async () => {
    // Act: a raw request line Node accepts but `new URL` does not
    const raw = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(gateway.port, LOCAL_HOST, () =>
        socket.write(
          `GET http://[bad/ HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nConnection: close\r\n\r\n`,
        ),
      );
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });

    // Assess
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await sqsQuery(gateway.port, 'Action=ListQueues')).status).toBe(200);
  });
});

describe('SQS protocols', () => {
  const sdk = () =>
    new SQSClient({
      endpoint: gateway.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

  it('still serves the JSON protocol of the AWS SDK v3 untranslated', async () => {
    // Prepare
    const client = sdk();
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'json-path' }));

    // Act
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'via json' }));
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl }));

    // Assess
    expect(QueueUrl).toBe(`${gateway.endpoint}/000000000000/json-path`);
    expect(Messages?.map((m) => m.Body)).toEqual(['via json']);
    client.destroy();
  });

  it('hands SDK requests to the in-process emulator, with no second HTTP hop', async () => {
    // Prepare: this gateway's routes name a port nothing listens on.
    const client = new SQSClient({
      endpoint: `http://${LOCAL_HOST}:${harness.inProcessOnly}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'in-process' }));

    // Act
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'handed over' }));
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl }));

    // Assess
    expect(Messages?.map((m) => m.Body)).toEqual(['handed over']);
    client.destroy();
  });

  it('answers the query protocol in XML, taking the queue URL from the path', async () => {
    // Prepare
    const created = await sqsQuery(gateway.port, 'Action=CreateQueue&QueueName=query-path');
    const queueUrl = `${gateway.endpoint}/000000000000/query-path`;

    // Act: sent to the queue's own URL, with no QueueUrl parameter
    const sent = await sqsQuery(
      gateway.port,
      'Action=SendMessage&MessageBody=via+query+%3C%26%3E',
      '/000000000000/query-path',
    );
    const client = sdk();
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    client.destroy();

    // Assess
    expect(created.status).toBe(200);
    expect(created.headers['content-type']).toMatch(/^text\/xml/);
    expect(created.body).toContain(
      `<CreateQueueResult><QueueUrl>${queueUrl}</QueueUrl></CreateQueueResult>`,
    );
    expect(sent.status).toBe(200);
    expect(sent.body).toContain(`<MD5OfMessageBody>${md5('via query <&>')}</MD5OfMessageBody>`);
    expect(Messages?.map((m) => m.Body)).toEqual(['via query <&>']);
  });

  it('answers a missing queue with the ErrorResponse SQS sends, status 400', async () => {
    // Act
    const answer = await sqsQuery(gateway.port, 'Action=GetQueueUrl&QueueName=nowhere');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^text\/xml/);
    expect(answer.body).toMatch(
      /<ErrorResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code><Message>The specified queue does not exist\.<\/Message><Detail\/><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/,
    );
  });

  it('passes an action the emulator lacks through as an XML error', async () => {
    const answer = await sqsQuery(
      gateway.port,
      'Action=ListDeadLetterSourceQueues',
      '/000000000000/query-path',
    );

    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>InvalidAction</Code>');
    expect(answer.body).toContain('ListDeadLetterSourceQueues');
  });

  it('answers a request without an action itself', async () => {
    const answer = await sqsQuery(gateway.port, 'QueueName=x');

    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>MissingAction</Code>');
  });

  it('refuses a form body over 8 MiB with 413, still in XML', async () => {
    const answer = await sqsQuery(
      gateway.port,
      `Action=SendMessage&MessageBody=${'x'.repeat(9 * 1_048_576)}`,
      '/000000000000/query-path',
    );

    expect(answer.status).toBe(413);
    expect(answer.body).toContain('<Code>RequestEntityTooLarge</Code>');
  });

  it("leaves SNS's form-encoded requests to SNS", async () => {
    const answer = await send(gateway.port, {
      headers: { 'content-type': FORM, authorization: signedFor('sns') },
      body: 'Action=ListTopics&Version=2010-03-31',
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<ListTopicsResponse');
  });
});

describe('Cognito routing', () => {
  beforeEach(() => {
    cognitoSaw.length = 0;
  });

  it('sends unsigned user-pool calls to the Cognito emulator', async () => {
    // Act
    const answer = await send(gateway.port, {
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: '{"AuthFlow":"USER_PASSWORD_AUTH"}',
    });

    // Assess
    expect(answer.body).toBe('{"from":"cognito"}');
    expect(cognitoSaw).toEqual([
      { method: 'POST', url: '/', target: 'AWSCognitoIdentityProviderService.InitiateAuth' },
    ]);
  });

  it("sends a user pool's discovery and keys requests to the Cognito emulator", async () => {
    // Act
    await send(gateway.port, {
      method: 'GET',
      path: '/eu-west-1_AbC123xyZ/.well-known/openid-configuration',
    });
    await send(gateway.port, { method: 'GET', path: '/eu-west-1_AbC123xyZ/.well-known/jwks.json' });

    // Assess
    expect(cognitoSaw.map((seen) => `${seen.method} ${seen.url}`)).toEqual([
      'GET /eu-west-1_AbC123xyZ/.well-known/openid-configuration',
      'GET /eu-west-1_AbC123xyZ/.well-known/jwks.json',
    ]);
  });

  it('says Cognito is not emulated when no route is configured', async () => {
    // Act
    const answer = await send(harness.withoutCognito, {
      headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' },
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).detail).toMatch(/service "cognito-idp" is not emulated/);
    expect(cognitoSaw).toEqual([]);
  });
});

const AWS_CLI = findAwsCli();
const NO_CLI = NO_AWS_CLI;
if (!AWS_CLI) {
  if (process.env.CI) {
    it('runs the aws CLI against the gateway', () => {
      throw new Error(`${NO_CLI}. CI must run the SQS query-protocol test.`);
    });
  } else {
    console.warn(`awsGateway.int: the aws CLI tests are skipped, ${NO_CLI}.`);
  }
}
// Selected when the file is loaded, so a machine without the CLI reports these tests as skipped.
const describeWithCli = AWS_CLI ? describe : describe.skip;

interface SentMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/**
 * MD5OfMessageAttributes as SQS computes it: for each attribute, sorted by name, the name, data
 * type and value, each length-prefixed (4 bytes, big-endian), the value after a transport byte (1
 * string or number, 2 binary).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
function md5OfMessageAttributes(attributes: Record<string, SentMessageAttribute>): string {
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const { DataType, StringValue, BinaryValue } = attributes[name] as SentMessageAttribute;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(DataType, 'utf8'));
    if (BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(Buffer.from(BinaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(Buffer.from(StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

// biome-ignore lint/suspicious/noExplicitAny: CLI output is asserted field by field below.
type CliOutput = any;

describeWithCli('Debian aws CLI (SQS query protocol)', () => {
  const run = promisify(execFile);
  // Markup, quotes, non-ASCII and a CRLF: each would break the body's MD5 if escaped wrongly.
  const BODY = 'Grüße <b>&amp;</b> "quoted" \'single\'\r\nsecond line';
  const ATTRIBUTES: Record<string, SentMessageAttribute> = {
    color: { DataType: 'String', StringValue: 'blue' },
    count: { DataType: 'Number', StringValue: '3' },
    blob: { DataType: 'Binary', BinaryValue: 'AQID' },
  };
  const contentTypes: string[] = [];
  let recorder: Server;
  let endpoint: string;
  let home: string;
  let queueUrl: string;
  let receiptHandle: string;
  let messageId: string;

  /** Runs `aws sqs …` against the endpoint and parses its JSON output. */
  async function aws(...args: string[]): Promise<CliOutput> {
    const { stdout } = await run(
      AWS_CLI as string,
      ['--endpoint-url', endpoint, '--output', 'json', 'sqs', ...args],
      {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          LC_ALL: 'C.UTF-8',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: 'eu-west-1',
          AWS_CONFIG_FILE: join(home, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
          AWS_PAGER: '',
        },
        timeout: 45_000,
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  }

  async function awsFailure(...args: string[]): Promise<{ code: unknown; stderr: string }> {
    try {
      await aws(...args);
    } catch (error) {
      const failed = error as { code?: unknown; stderr?: string };
      return { code: failed.code, stderr: failed.stderr ?? '' };
    }
    throw new Error(`aws sqs ${args.join(' ')} succeeded; it was expected to fail`);
  }

  const queueCounts = async () => {
    const { Attributes } = await aws(
      'get-queue-attributes',
      '--queue-url',
      queueUrl,
      '--attribute-names',
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
    );
    return {
      visible: Attributes.ApproximateNumberOfMessages,
      inFlight: Attributes.ApproximateNumberOfMessagesNotVisible,
    };
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'aws-cli-home-'));
    // Between the CLI and the gateway: records each request's content type, to show the CLI
    // really speaks the query protocol (a newer CLI speaks JSON and would prove nothing here).
    recorder = createServer((req, res) => {
      contentTypes.push(String(req.headers['content-type'] ?? '').split(';')[0] ?? '');
      proxyTo(gateway.port, req, res);
    });
    await new Promise<void>((resolve) => recorder.listen(0, LOCAL_HOST, resolve));
    endpoint = `http://${LOCAL_HOST}:${(recorder.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => (recorder ? recorder.close(resolve) : resolve(undefined)));
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('speaks the query protocol, which the gateway answers (list-queues)', async () => {
    // Act
    const listed = await aws('list-queues', '--queue-name-prefix', 'cli-');

    // Assess
    expect(listed).toEqual({});
    expect(contentTypes).toEqual(['application/x-www-form-urlencoded']);
  });

  it('creates a queue and finds it by name and by prefix', async () => {
    // Act
    const created = await aws(
      'create-queue',
      '--queue-name',
      'cli-orders',
      '--attributes',
      'VisibilityTimeout=30',
    );
    const found = await aws('get-queue-url', '--queue-name', 'cli-orders');
    const listed = await aws('list-queues', '--queue-name-prefix', 'cli-');

    // Assess
    queueUrl = `${endpoint}/000000000000/cli-orders`;
    expect(created).toEqual({ QueueUrl: queueUrl });
    expect(found).toEqual({ QueueUrl: queueUrl });
    expect(listed).toEqual({ QueueUrls: [queueUrl] });
  });

  it('sends a message with attributes and answers the MD5s a client verifies', async () => {
    // Act
    const sent = await aws(
      'send-message',
      '--queue-url',
      queueUrl,
      '--message-body',
      BODY,
      '--message-attributes',
      JSON.stringify(ATTRIBUTES),
    );

    // Assess
    expect(sent).toEqual({
      MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      MD5OfMessageBody: md5(BODY),
      MD5OfMessageAttributes: md5OfMessageAttributes(ATTRIBUTES),
    });
    messageId = sent.MessageId;
  });

  it('receives it with its system and message attributes, the MD5s matching what arrived', async () => {
    // Act
    const { Messages } = await aws(
      'receive-message',
      '--queue-url',
      queueUrl,
      '--attribute-names',
      'All',
      '--message-attribute-names',
      'All',
    );

    // Assess
    expect(Messages).toHaveLength(1);
    const [message] = Messages;
    expect(message).toEqual({
      MessageId: messageId,
      ReceiptHandle: expect.any(String),
      Body: BODY,
      MD5OfBody: md5(BODY),
      Attributes: expect.objectContaining({
        SenderId: '000000000000',
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
      }),
      MessageAttributes: ATTRIBUTES,
      MD5OfMessageAttributes: md5OfMessageAttributes(ATTRIBUTES),
    });
    // What an SDK checks on receive: the digests of what it actually got.
    expect(md5(message.Body)).toBe(message.MD5OfBody);
    expect(md5OfMessageAttributes(message.MessageAttributes)).toBe(message.MD5OfMessageAttributes);
    receiptHandle = message.ReceiptHandle;
  });

  it('reports the queue attributes', async () => {
    const { Attributes } = await aws(
      'get-queue-attributes',
      '--queue-url',
      queueUrl,
      '--attribute-names',
      'All',
    );

    expect(Attributes).toEqual(
      expect.objectContaining({
        QueueArn: 'arn:aws:sqs:eu-west-1:000000000000:cli-orders',
        VisibilityTimeout: '30',
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '1',
      }),
    );
  });

  it('makes the message visible again (change-message-visibility) and deletes it', async () => {
    // Act
    await aws(
      'change-message-visibility',
      '--queue-url',
      queueUrl,
      '--receipt-handle',
      receiptHandle,
      '--visibility-timeout',
      '0',
    );
    const again = await pollUntil(
      'the message to be received again',
      async () => {
        const { Messages } = await aws(
          'receive-message',
          '--queue-url',
          queueUrl,
          '--attribute-names',
          'ApproximateReceiveCount',
        );
        return Messages?.[0];
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await aws('delete-message', '--queue-url', queueUrl, '--receipt-handle', again.ReceiptHandle);

    // Assess
    expect(again).toEqual(
      expect.objectContaining({
        MessageId: messageId,
        Attributes: { ApproximateReceiveCount: '2' },
      }),
    );
    expect(await queueCounts()).toEqual({ visible: '0', inFlight: '0' });
  });

  it('sends a batch and deletes it as a batch', async () => {
    // Prepare
    const kind = { kind: { DataType: 'String', StringValue: 'second' } };
    const entries = [
      { Id: 'first', MessageBody: 'one' },
      { Id: 'second', MessageBody: 'two', DelaySeconds: 0, MessageAttributes: kind },
      { Id: 'third', MessageBody: 'three' },
    ];

    // Act
    const sent = await aws(
      'send-message-batch',
      '--queue-url',
      queueUrl,
      '--entries',
      JSON.stringify(entries),
    );
    const received: CliOutput[] = [];
    await pollUntil(
      'the three batched messages',
      async () => {
        const { Messages = [] } = await aws(
          'receive-message',
          '--queue-url',
          queueUrl,
          '--max-number-of-messages',
          '10',
        );
        received.push(...Messages);
        return received.length >= 3 ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const deleted = await aws(
      'delete-message-batch',
      '--queue-url',
      queueUrl,
      '--entries',
      JSON.stringify(
        received.map((message, index) => ({
          Id: `d${index}`,
          ReceiptHandle: message.ReceiptHandle,
        })),
      ),
    );

    // Assess
    expect(sent.Failed ?? []).toEqual([]);
    expect(sent.Successful).toEqual([
      expect.objectContaining({ Id: 'first', MD5OfMessageBody: md5('one') }),
      expect.objectContaining({
        Id: 'second',
        MD5OfMessageBody: md5('two'),
        MD5OfMessageAttributes: md5OfMessageAttributes(kind),
      }),
      expect.objectContaining({ Id: 'third', MD5OfMessageBody: md5('three') }),
    ]);
    expect(received.map((message) => message.Body).sort()).toEqual(['one', 'three', 'two']);
    expect(deleted.Successful.map((entry: { Id: string }) => entry.Id).sort()).toEqual([
      'd0',
      'd1',
      'd2',
    ]);
    expect(await queueCounts()).toEqual({ visible: '0', inFlight: '0' });
  });

  it('purges the queue', async () => {
    // Prepare
    await aws('send-message', '--queue-url', queueUrl, '--message-body', 'left over');
    expect(await queueCounts()).toEqual({ visible: '1', inFlight: '0' });

    // Act
    await aws('purge-queue', '--queue-url', queueUrl);

    // Assess
    expect(await queueCounts()).toEqual({ visible: '0', inFlight: '0' });
  });

  it('reports a missing queue with the error code SQS uses', async () => {
    const failure = await awsFailure('get-queue-url', '--queue-name', 'cli-nowhere');

    expect(failure.code).toBe(254);
    expect(failure.stderr).toContain(
      'An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.',
    );
  });

  it('sent every call in the query protocol', () => {
    expect(new Set(contentTypes)).toEqual(new Set(['application/x-www-form-urlencoded']));
  });
});
