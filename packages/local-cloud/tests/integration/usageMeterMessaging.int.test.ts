import {
  CreateTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { pollUntil } from '../../src/net';
import type { UsageSnapshot } from '../../src/usage';
import { type ChildHarness, startChildHarness } from '../helpers/childHarness';

// The AWS gateway counting SNS publishes and SQS requests of a function by 64 KB chunk against
// the real emulator (fauxqs), and the base URL serving the count.

jest.setTimeout(60_000);

const FUNCTION = 'shop-order-local-createOrder';

// fauxqs ships ESM only, which jest's CommonJS runtime cannot load: the emulator, the gateway and
// the base URL run in a child (tsx) and print their ports; closing its stdin stops them.
const HARNESS = `
const { startSqsSns } = require('./src/emulators/sqsSns');
const { startAwsGateway } = require('./src/gateway/awsGateway');
const { startHttpRouter } = require('./src/gateway/httpRouter');
const { UsageRecorder } = require('./src/usage');
const { freePort } = require('./src/net');
(async () => {
  const sqsSns = await startSqsSns(await freePort());
  const usage = new UsageRecorder();
  const gateway = await startAwsGateway(0, { routes: { sqs: sqsSns.port, sns: sqsSns.port }, usage });
  const router = await startHttpRouter(0, [], async () => ({ status: 404, body: {} }), async () => ({}), { usage });
  console.log(JSON.stringify({ gateway: gateway.endpoint, router: router.url }));
  process.stdin.on('end', async () => {
    await Promise.all([gateway.stop(), router.stop()]);
    await sqsSns.stop();
    process.exit(0);
  });
  process.stdin.resume();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

describe('Class: GatewayUsageMeter (SNS and SQS, through the gateway)', () => {
  let child: ChildHarness<{ gateway: string; router: string }>;
  let urls: { gateway: string; router: string };
  const clients = (credentials: { accessKeyId: string; sessionToken?: string }) => {
    const config = {
      endpoint: urls.gateway,
      region: 'eu-west-1',
      credentials: { secretAccessKey: 'x', ...credentials },
    };
    return { sns: new SNSClient(config), sqs: new SQSClient(config) };
  };
  const usage = async () =>
    (await (await fetch(`${urls.router}/_local/usage`)).json()) as UsageSnapshot;

  beforeAll(async () => {
    child = await startChildHarness<typeof urls>(
      'the emulator, the gateway and the base URL to start',
      HARNESS,
    );
    urls = child.ready;
  });

  afterAll(() => child?.stop());

  it('bills a 70 KB publish and the receive of it as two requests each, an empty receive as one', async () => {
    // Prepare: a topic with a queue subscribed (raw delivery), made with the admin's keys.
    const admin = clients({ accessKeyId: 'admin' });
    const { TopicArn } = await admin.sns.send(new CreateTopicCommand({ Name: 'bus' }));
    const { QueueUrl } = await admin.sqs.send(new CreateQueueCommand({ QueueName: 'inbox' }));
    const { Attributes } = await admin.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await admin.sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const fn = clients({ accessKeyId: 'fn', sessionToken: `local-cloud/${FUNCTION}` });

    // Act: publish 70 KB, receive it, then find the queue empty.
    await fn.sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(70 * 1024) }));
    const received = await pollUntil(
      'the published message in the queue',
      async () => {
        const answer = await fn.sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['All'] }),
        );
        return answer.Messages?.length ? answer.Messages : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    await fn.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    const counted = await usage();

    // Assess
    expect(received).toHaveLength(1);
    expect(counted.sns).toMatchObject({ billedRequests: 2, messagesPublished: 1 });
    const emptyBefore = counted.sqs.emptyReceives - 1; // receives polled before the delivery
    expect(counted.sqs).toMatchObject({
      messagesReceived: 1,
      firstReceives: 1,
      receives: emptyBefore + 2,
      // 2 chunks for the 70 KB receive, one per empty receive.
      billedRequests: 2 + emptyBefore + 1,
    });
    // The admin's set-up calls are nobody's cost.
    expect(counted.excludedRequests).toBe(4); // CreateTopic, CreateQueue, GetQueueAttributes, Subscribe
    expect(counted.requests).toContainEqual({
      caller: FUNCTION,
      service: 'sns',
      action: 'Publish',
      count: 1,
    });
  });
});
