import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { EventSourceMapping } from '../../src/cloudformation/provision';
import type { InvocationResult } from '../../src/eventSources/lambdaInvoker';
import { type BatchOutcome, startSqsPoller } from '../../src/eventSources/sqsPoller';
import { LOCAL_HOST, pollUntil } from '../../src/net';
import { type ChildHarness, startChildHarness } from '../helpers/childHarness';

// The SQS poller against the real emulator, with a fake function in place of serverless-offline:
// batching, deletion, partial batch failures, visibility and redrive, as Lambda's pollers do them.

jest.setTimeout(60_000);

const REGION = 'eu-west-1';

// fauxqs ships ESM only, which jest's CommonJS runtime cannot load: the emulator runs in a child
// (tsx) and prints its endpoint; closing its stdin stops it. The poller runs here.
const HARNESS = `
const { startSqsSns } = require('./src/emulators/sqsSns');
const { freePort } = require('./src/net');
(async () => {
  const sqsSns = await startSqsSns(await freePort());
  console.log(JSON.stringify({ endpoint: sqsSns.endpoint }));
  process.stdin.on('end', async () => {
    await sqsSns.stop();
    process.exit(0);
  });
  process.stdin.resume();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

let emulator: ChildHarness<{ endpoint: string }>;
let sqs: SQSClient;
/** Stands for the function's process: the poller leaves queues alone while its port is closed. */
let functionProcess: Server;
let lambdaPort: number;
let queueCount = 0;
const pollers: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  emulator = await startChildHarness<{ endpoint: string }>('the SQS emulator to start', HARNESS);
  const { endpoint } = emulator.ready;
  sqs = new SQSClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  functionProcess = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => functionProcess.listen(0, LOCAL_HOST, resolve));
  lambdaPort = (functionProcess.address() as AddressInfo).port;
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  await new Promise((resolve) => functionProcess?.close(resolve));
  await emulator?.stop();
});

/** A fresh queue (and its DLQ when `maxReceiveCount` is given), unique to the test. */
async function createQueue(options: { visibilityTimeout?: number; maxReceiveCount?: number } = {}) {
  queueCount += 1;
  const name = `poller-${queueCount}`;
  const arnOf = async (url: string | undefined) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn as string;
  let dlq: { url: string; arn: string } | undefined;
  if (options.maxReceiveCount !== undefined) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    dlq = { url: QueueUrl as string, arn: await arnOf(QueueUrl) };
  }
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeout ?? 30),
        ...(dlq
          ? {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: dlq.arn,
                maxReceiveCount: options.maxReceiveCount,
              }),
            }
          : {}),
      },
    }),
  );
  return { url: QueueUrl as string, arn: await arnOf(QueueUrl), dlq };
}

async function send(queueUrl: string, bodies: string[]): Promise<void> {
  for (let start = 0; start < bodies.length; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(start, start + 10).map((body, index) => ({
          Id: String(start + index),
          MessageBody: body,
        })),
      }),
    );
  }
}

/** Visible plus in-flight messages of a queue. */
async function messagesIn(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

interface SqsTestEvent {
  Records: { messageId: string; body: string; attributes: Record<string, string> }[];
}

/** Starts a poller whose function is `handle`; records every batch it ran. */
function startPoller(
  queueArn: string,
  handle: (event: SqsTestEvent) => Promise<InvocationResult> | InvocationResult,
  mapping: Partial<EventSourceMapping> = {},
) {
  const batches: BatchOutcome[] = [];
  const errors: Error[] = [];
  const invocations: SqsTestEvent[] = [];
  const poller = startSqsPoller(
    {
      logicalId: 'Mapping',
      functionName: 'shop-test-local-consumer',
      queueArn,
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      reportBatchItemFailures: true,
      enabled: true,
      ...mapping,
    },
    {
      sqs,
      region: REGION,
      lambdaPort,
      invoke: async (_functionName, event) => {
        invocations.push(event as SqsTestEvent);
        return handle(event as SqsTestEvent);
      },
      onBatch: (outcome) => batches.push(outcome),
      onError: (error) => errors.push(error),
    },
  );
  pollers.push(poller);
  const bodiesSeen = () => invocations.flatMap((event) => event.Records.map((r) => r.body));
  return { batches, errors, invocations, bodiesSeen };
}

const ok = (payload: unknown = null): InvocationResult => ({
  failed: false,
  payload,
  durationMs: 1,
});

describe('Function: startSqsPoller', () => {
  it('hands the function SQS records of the queue and deletes the batch it handled', async () => {
    // Prepare
    const queue = await createQueue();
    await send(queue.url, ['a', 'b', 'c']);

    // Act
    const { bodiesSeen, invocations } = startPoller(queue.arn, () => ok());
    await pollUntil(
      'three records handled',
      async () => (bodiesSeen().length >= 3 ? true : undefined),
      { timeoutMs: 10_000 },
    );

    // Assess
    expect(bodiesSeen().sort()).toEqual(['a', 'b', 'c']);
    expect(invocations[0]?.Records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: REGION,
      attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }),
    });
    await pollUntil(
      'the queue to be empty',
      async () => ((await messagesIn(queue.url)) === 0 ? true : undefined),
      { timeoutMs: 10_000 },
    );
  });

  it('gathers more than SQS returns at once within the batching window, up to the batch size', async () => {
    // Prepare
    const queue = await createQueue();
    await send(
      queue.url,
      Array.from({ length: 15 }, (_, index) => `m${index}`),
    );

    // Act
    const { invocations } = startPoller(queue.arn, () => ok(), {
      batchSize: 15,
      maximumBatchingWindowSeconds: 5,
    });
    await pollUntil('a batch', async () => (invocations.length > 0 ? true : undefined), {
      timeoutMs: 15_000,
    });

    // Assess: one receive gives at most 10
    expect(invocations[0]?.Records).toHaveLength(15);
  });

  it('waits within the batching window for messages that arrive after the first one', async () => {
    // Prepare
    const queue = await createQueue();
    await send(queue.url, ['first']);

    // Act: the second message is sent once the poller holds the first
    const { invocations } = startPoller(queue.arn, () => ok(), {
      maximumBatchingWindowSeconds: 5,
    });
    await pollUntil(
      'the first message in flight',
      async () => {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.url,
            AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return Attributes.ApproximateNumberOfMessagesNotVisible === '1' ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    await send(queue.url, ['second']);
    await pollUntil('a batch', async () => (invocations.length > 0 ? true : undefined), {
      timeoutMs: 15_000,
    });

    // Assess
    expect(invocations[0]?.Records.map((record) => record.body)).toEqual(['first', 'second']);
  });

  it('stops gathering before the messages it holds become visible again', async () => {
    // Prepare: a window longer than the queue's visibility timeout
    const queue = await createQueue({ visibilityTimeout: 1 });
    await send(queue.url, ['held']);

    // Act
    const { invocations } = startPoller(queue.arn, () => ok(), {
      maximumBatchingWindowSeconds: 3,
    });
    await pollUntil('a batch', async () => (invocations.length > 0 ? true : undefined), {
      timeoutMs: 10_000,
    });

    // Assess: held once, on its first receive, not again in the same batch
    expect(
      invocations[0]?.Records.map((record) => [
        record.body,
        record.attributes.ApproximateReceiveCount,
      ]),
    ).toEqual([['held', '1']]);
  });

  it('invokes with what one receive gives when there is no batching window', async () => {
    // Prepare
    const queue = await createQueue();
    await send(
      queue.url,
      Array.from({ length: 15 }, (_, index) => `m${index}`),
    );

    // Act
    const { invocations, bodiesSeen } = startPoller(queue.arn, () => ok(), { batchSize: 15 });
    await pollUntil('all handled', async () => (bodiesSeen().length >= 15 ? true : undefined), {
      timeoutMs: 15_000,
    });

    // Assess
    expect(Math.max(...invocations.map((event) => event.Records.length))).toBeLessThanOrEqual(10);
  });

  it('keeps only the records the function reports as failed; they come back after the visibility timeout', async () => {
    // Prepare
    const queue = await createQueue({ visibilityTimeout: 1 });
    await send(queue.url, ['good-1', 'bad', 'good-2']);

    // Act: the first delivery of `bad` fails, the second succeeds
    const { batches, bodiesSeen, invocations } = startPoller(queue.arn, (event) => {
      const failures = event.Records.filter(
        (record) => record.body === 'bad' && record.attributes.ApproximateReceiveCount === '1',
      ).map((record) => ({ itemIdentifier: record.messageId }));
      return ok({ batchItemFailures: failures });
    });
    await pollUntil(
      'bad to come back',
      async () => (bodiesSeen().filter((body) => body === 'bad').length >= 2 ? true : undefined),
      { timeoutMs: 15_000 },
    );

    // Assess
    expect(
      bodiesSeen()
        .filter((body) => body.startsWith('good'))
        .sort(),
    ).toEqual(['good-1', 'good-2']);
    const retried = invocations
      .flatMap((event) => event.Records)
      .filter((record) => record.body === 'bad');
    expect(retried.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(batches.flatMap((batch) => batch.failedMessageIds)).toEqual([retried[0]?.messageId]);
    await pollUntil(
      'the queue to be empty',
      async () => ((await messagesIn(queue.url)) === 0 ? true : undefined),
      { timeoutMs: 10_000 },
    );
  });

  it('ignores reported failures when the mapping does not take them (no ReportBatchItemFailures)', async () => {
    // Prepare
    const queue = await createQueue({ visibilityTimeout: 1 });
    await send(queue.url, ['x']);

    // Act
    const { batches } = startPoller(
      queue.arn,
      (event) => ok({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }] }),
      { reportBatchItemFailures: false },
    );
    await pollUntil('a batch', async () => (batches.length > 0 ? true : undefined), {
      timeoutMs: 10_000,
    });

    // Assess
    expect(batches[0]?.failedMessageIds).toEqual([]);
    await pollUntil(
      'the queue to be empty',
      async () => ((await messagesIn(queue.url)) === 0 ? true : undefined),
      { timeoutMs: 10_000 },
    );
  });

  it.each([
    [
      'the function fails',
      () => ({ failed: true, payload: { errorType: 'Error' }, durationMs: 1 }),
    ],
    [
      'it reports an identifier that is not in the batch',
      () => ok({ batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] }),
    ],
  ])('keeps the whole batch when %s', async (_case, result) => {
    // Prepare
    const queue = await createQueue({ visibilityTimeout: 30 });
    await send(queue.url, ['p', 'q']);

    // Act
    const { batches } = startPoller(queue.arn, result, { maximumBatchingWindowSeconds: 1 });
    await pollUntil('a batch', async () => (batches.length > 0 ? true : undefined), {
      timeoutMs: 10_000,
    });

    // Assess
    const [batch] = batches;
    expect(batch?.failedMessageIds.sort()).toEqual(
      batch?.messages.map((message) => message.MessageId).sort(),
    );
    expect(await messagesIn(queue.url)).toBe(2);
  });

  it('dead-letters a message that keeps failing after the redrive policy’s maxReceiveCount', async () => {
    // Prepare
    const queue = await createQueue({ visibilityTimeout: 1, maxReceiveCount: 2 });
    await send(queue.url, ['poison']);

    // Act
    const { invocations } = startPoller(queue.arn, () => ({
      failed: true,
      payload: { errorType: 'Error', errorMessage: 'poison' },
      durationMs: 1,
    }));
    await pollUntil(
      'the message in the DLQ',
      async () => ((await messagesIn(queue.dlq?.url as string)) === 1 ? true : undefined),
      { timeoutMs: 20_000 },
    );

    // Assess
    expect(invocations).toHaveLength(2);
    expect(await messagesIn(queue.url)).toBe(0);
  });

  it('returns a batch at once when the function cannot be reached, instead of after the visibility timeout', async () => {
    // Prepare: a visibility timeout longer than the test's deadline
    const queue = await createQueue({ visibilityTimeout: 120 });
    await send(queue.url, ['retry-me']);
    let attempts = 0;

    // Act: the first invocation finds no process, the second one works
    const { errors, bodiesSeen } = startPoller(queue.arn, () => {
      attempts += 1;
      if (attempts === 1) throw new Error('connect ECONNREFUSED');
      return ok();
    });
    await pollUntil(
      'the second attempt',
      async () => (bodiesSeen().length >= 2 ? true : undefined),
      { timeoutMs: 20_000 },
    );

    // Assess
    expect(errors.map((error) => error.message)).toEqual(['connect ECONNREFUSED']);
    await pollUntil(
      'the queue to be empty',
      async () => ((await messagesIn(queue.url)) === 0 ? true : undefined),
      { timeoutMs: 10_000 },
    );
  });
});
