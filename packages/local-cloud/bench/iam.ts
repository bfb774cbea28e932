import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalRole } from '../src/cloudformation/iamResources';
import type { ProvisionedStack } from '../src/cloudformation/provision';
import { startAwsGateway } from '../src/gateway/awsGateway';
import { IamEnforcer } from '../src/gateway/iam/IamEnforcer';

/**
 * What IAM enforcement costs per request at the local AWS endpoint: `tsx bench/iam.ts [requests]`.
 * Sends requests through the real gateway to a stub emulator that answers at once, so only the
 * gateway's work is measured: with administrator credentials (no evaluation), then signed as a
 * function whose role allows the call (decision remembered), allows it on a new S3 key each time
 * (evaluated by iam-simulate every time), and does not allow it (refused).
 */
const REGION = 'eu-west-1';
const FUNCTION = 'shop-inventory-local-handleOrderEvents';
const TABLE = `arn:aws:dynamodb:${REGION}:000000000000:table/shop-inventory-local-products`;

/** A role the size of our largest (inventory's handleOrderEvents: eight statements). */
const role: LocalRole = {
  logicalId: 'HandleOrderEventsIamRoleLambdaExecution',
  name: 'shop-inventory-local-handleOrderEvents-eu-west-1-lambdaRole',
  arn: 'arn:aws:iam::000000000000:role/shop-inventory-local-handleOrderEvents-eu-west-1-lambdaRole',
  managedPolicyArns: [],
  policies: [
    {
      name: 'shop-inventory-local-lambda',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `arn:aws:logs:${REGION}:000000000000:log-group:/aws/lambda/${FUNCTION}:*:*`,
          },
          {
            Effect: 'Allow',
            Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
            Resource: `arn:aws:sqs:${REGION}:000000000000:shop-inventory-local-events`,
          },
          {
            Effect: 'Allow',
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            Resource: '*',
          },
          { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: TABLE },
          { Effect: 'Allow', Action: 'dynamodb:Query', Resource: `${TABLE}/index/byImageKey` },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::media/uploads/*' },
          {
            Effect: 'Allow',
            Action: 'sns:Publish',
            Resource: `arn:aws:sns:${REGION}:000000000000:shop-events-local`,
          },
          {
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: `arn:aws:sqs:${REGION}:000000000000:shop-inventory-local-events-dlq`,
          },
        ],
      },
    },
  ],
};

const stack = {
  stackName: 'shop-inventory-local',
  roles: [role],
  functionRoles: [{ functionName: FUNCTION, roleArn: role.arn }],
  resourcePolicies: [],
  refusedDeliveries: [],
} as unknown as ProvisionedStack;

async function main() {
  const requests = Number(process.argv[2] ?? 2000);
  const emulator = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((resolve) => emulator.listen(0, '127.0.0.1', resolve));
  const emulatorPort = (emulator.address() as AddressInfo).port;
  const iam = new IamEnforcer({ mode: 'enforce', log: () => {} });
  await iam.configure([stack]);
  const gateway = await startAwsGateway(0, {
    routes: { dynamodb: emulatorPort, s3: emulatorPort },
    iam,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const item = JSON.stringify({
    TableName: 'shop-inventory-local-products',
    Key: { productId: { S: 'prod-espresso-beans' } },
    UpdateExpression: 'SET stock = stock - :q',
    ExpressionAttributeValues: { ':q': { N: '1' } },
    padding: 'x'.repeat(900),
  });

  const send = (options: {
    service: string;
    token?: string;
    target?: string;
    path?: string;
    method?: string;
  }) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: gateway.port,
          agent,
          method: options.method ?? 'POST',
          path: options.path ?? '/',
          headers: {
            authorization: `AWS4-HMAC-SHA256 Credential=ASIA0/20261128/${REGION}/${options.service}/aws4_request, SignedHeaders=host, Signature=0`,
            ...(options.token ? { 'x-amz-security-token': options.token } : {}),
            ...(options.target ? { 'x-amz-target': options.target } : {}),
            'content-type': 'application/x-amz-json-1.0',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(options.method === 'GET' ? undefined : item);
    });

  const time = async (label: string, make: (i: number) => Promise<number>, expected: number) => {
    for (let i = 0; i < 200; i++) await make(-1 - i); // warm up: JIT, sockets, first decisions
    const samples: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = process.hrtime.bigint();
      const status = await make(i);
      samples.push(Number(process.hrtime.bigint() - started) / 1000);
      if (status !== expected)
        throw new Error(`${label}: answered ${status}, expected ${expected}`);
    }
    samples.sort((a, b) => a - b);
    const at = (p: number) => samples[Math.floor((p / 100) * (samples.length - 1))] ?? 0;
    process.stdout.write(
      `${label.padEnd(62)} median ${at(50).toFixed(0).padStart(5)} µs  p95 ${at(95).toFixed(0).padStart(5)} µs\n`,
    );
    return at(50);
  };

  const token = `local-cloud/${FUNCTION}`;
  process.stdout.write(
    `${requests} sequential requests each, through the gateway to a stub emulator\n`,
  );
  const admin = await time(
    'DynamoDB UpdateItem, administrator credentials',
    () => send({ service: 'dynamodb', target: 'DynamoDB_20120810.UpdateItem' }),
    200,
  );
  const cached = await time(
    'DynamoDB UpdateItem, function allowed (decision remembered)',
    () => send({ service: 'dynamodb', token, target: 'DynamoDB_20120810.UpdateItem' }),
    200,
  );
  const s3Admin = await time(
    'S3 GetObject, administrator credentials',
    (i) => send({ service: 's3', method: 'GET', path: `/media/uploads/${i}.jpg` }),
    200,
  );
  const fresh = await time(
    'S3 GetObject, function allowed, new key (evaluated each time)',
    (i) => send({ service: 's3', token, method: 'GET', path: `/media/uploads/${i}.jpg` }),
    200,
  );
  const denied = await time(
    'DynamoDB PutItem, function not allowed (refused, 400)',
    () => send({ service: 'dynamodb', token, target: 'DynamoDB_20120810.PutItem' }),
    400,
  );
  process.stdout.write(
    `\nenforcement adds: ${(cached - admin).toFixed(0)} µs (remembered decision), ` +
      `${(fresh - s3Admin).toFixed(0)} µs (new S3 key, iam-simulate), refusal ${denied.toFixed(0)} µs in all\n`,
  );
  agent.destroy();
  await gateway.stop();
  emulator.close();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
