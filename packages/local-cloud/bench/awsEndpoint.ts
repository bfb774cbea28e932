import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { HelpRequested, parseCommandLine } from '../src/commandLine';
import { startDynamoDb } from '../src/emulators/dynamodb';
import { startSqsSns } from '../src/emulators/sqsSns';
import { startAwsGateway } from '../src/gateway/awsGateway';

const USAGE = `Usage: tsx bench/awsEndpoint.ts [--calls 500]

What one AWS call costs at the local AWS endpoint, in CPU of this one process (median of 5 interleaved rounds) (SDK client,
gateway, emulator: all of it runs here, as in the local cloud) and in wall time: DynamoDB GetItem
and PutItem, SQS SendMessage + ReceiveMessage + DeleteMessage, SNS Publish — through the gateway
(what functions and pollers call) as it hands requests to the emulators in-process, as it did
before (proxied over HTTP to the emulator's port), and straight to the emulator (the floor).`;

const REGION = 'eu-west-1';
const ROUNDS = 5;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function main() {
  const { values } = parseCommandLine(process.argv.slice(2), {
    options: { calls: { type: 'string', default: '500' } },
  });
  const calls = Number(values.calls);
  const dynamodb = await startDynamoDb(0);
  const sqsSns = await startSqsSns(0);
  const routes = { dynamodb: dynamodb.port, sqs: sqsSns.port, sns: sqsSns.port };
  const gateway = await startAwsGateway(0, {
    routes,
    handlers: { dynamodb: dynamodb.handle, sqs: sqsSns.handle, sns: sqsSns.handle },
  });
  // How the endpoint worked before: each request sent on again over HTTP to the emulator's port.
  const proxyingGateway = await startAwsGateway(0, { routes });
  const clientsFor = (endpoint: string) => ({
    dynamodb: new DynamoDBClient({ endpoint, region: REGION, credentials }),
    sqs: new SQSClient({ endpoint, region: REGION, credentials }),
    sns: new SNSClient({ endpoint, region: REGION, credentials }),
  });
  const setup = clientsFor(gateway.endpoint);
  await setup.dynamodb.send(
    new CreateTableCommand({
      TableName: 'bench',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  const { QueueUrl = '' } = await setup.sqs.send(new CreateQueueCommand({ QueueName: 'bench' }));
  const { TopicArn = '' } = await setup.sns.send(new CreateTopicCommand({ Name: 'bench' }));

  const subjects: [string, ReturnType<typeof clientsFor>][] = [
    ['through the gateway, handed over in-process', clientsFor(gateway.endpoint)],
    ['through the gateway, proxied over HTTP', clientsFor(proxyingGateway.endpoint)],
    ['straight to the emulator', { ...clientsFor(dynamodb.endpoint), ...pick(sqsSns.endpoint) }],
  ];
  function pick(endpoint: string) {
    const { sqs, sns } = clientsFor(endpoint);
    return { sqs, sns };
  }
  const item = { pk: { S: 'order-1' }, body: { S: 'x'.repeat(600) } };
  const operations: [string, (c: ReturnType<typeof clientsFor>, i: number) => Promise<unknown>][] =
    [
      [
        'DynamoDB GetItem',
        (c) => c.dynamodb.send(new GetItemCommand({ TableName: 'bench', Key: { pk: item.pk } })),
      ],
      [
        'DynamoDB PutItem',
        (c, i) =>
          c.dynamodb.send(
            new PutItemCommand({ TableName: 'bench', Item: { ...item, pk: { S: `o-${i}` } } }),
          ),
      ],
      [
        'SQS send + receive + delete',
        async (c) => {
          await c.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: item.body.S }));
          const { Messages = [] } = await c.sqs.send(
            new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }),
          );
          for (const m of Messages)
            await c.sqs.send(
              new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }),
            );
        },
      ],
      ['SNS Publish', (c) => c.sns.send(new PublishCommand({ TopicArn, Message: item.body.S }))],
    ];
  process.stdout.write(`| call | path | CPU µs per call | wall µs per call |\n|---|---|---|---|\n`);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
  for (const [label, operation] of operations) {
    for (const [, clients] of subjects)
      for (let i = 0; i < 100; i++) await operation(clients, -1 - i); // warm up
    // Rounds interleave the paths, so drift in the machine's load hits them alike.
    const figures = subjects.map(() => ({ cpu: [] as number[], wall: [] as number[] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, [, clients]] of subjects.entries()) {
        const cpu = process.cpuUsage();
        const started = process.hrtime.bigint();
        for (let i = 0; i < calls; i++) await operation(clients, round * calls + i);
        const used = process.cpuUsage(cpu);
        figures[index]?.wall.push(Number(process.hrtime.bigint() - started) / 1000 / calls);
        figures[index]?.cpu.push((used.user + used.system) / calls);
      }
    }
    for (const [index, [path]] of subjects.entries()) {
      const { cpu = [], wall = [] } = figures[index] ?? {};
      process.stdout.write(
        `| ${label} | ${path} | ${median(cpu).toFixed(0)} | ${median(wall).toFixed(0)} |\n`,
      );
    }
  }
  await gateway.stop();
  await proxyingGateway.stop();
  await sqsSns.stop();
  await dynamodb.stop();
}

main().catch((error: Error) => {
  if (error instanceof HelpRequested) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  console.error(error);
  process.exit(1);
});
