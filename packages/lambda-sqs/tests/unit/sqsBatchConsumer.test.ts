import { type DeadLetter, SqsDeadLetterQueue, SqsRetryScheduler } from '@shop/aws-adapters';
import { logger } from '@shop/observability';
import { captureJsonLines, fakeContext, type JsonLine, sqsEvent, sqsRecord } from '@shop/testing';
import type { SQSRecord } from 'aws-lambda';
import { LambdaSqsInvalidRecordError } from '../../src/errors';
import { type SqsRecordParser, sqsBatchConsumer } from '../../src/sqsBatchConsumer';
import { inMemoryIdempotencyStore } from '../helpers/inMemoryIdempotencyStore';

// The core with a parser of its own: a message carries jobs, `{"jobs":[{"jobId","flow"}]}`.
// The bus-event and S3-notification parsers are tested with their consumers.

const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-test-jobs-dlq';
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-test-jobs';
const INVALID_LOG = 'rejected an invalid job message; it will go to the DLQ';

interface Job {
  jobId: string;
  flow: string;
}

const jobParser: SqsRecordParser<Job> = {
  parse: (record) => {
    let jobs: unknown;
    try {
      jobs = JSON.parse(record.body).jobs;
    } catch (error) {
      throw new LambdaSqsInvalidRecordError(
        'the body is not JSON',
        { metric: 'InvalidJobs', logMessage: INVALID_LOG, details: { issue: 'not JSON' } },
        { cause: error },
      );
    }
    if (!Array.isArray(jobs)) {
      throw new LambdaSqsInvalidRecordError('no jobs', {
        metric: 'InvalidJobs',
        logMessage: INVALID_LOG,
      });
    }
    return jobs as Job[];
  },
  logKeys: (job) => ({ correlationId: job.flow, jobId: job.jobId }),
};

const jobs = (messageId: string, ...ids: string[]) =>
  sqsRecord({ jobs: ids.map((jobId) => ({ jobId, flow: `flow-${jobId}` })) }, { messageId });

/** Records what would have been sent to the DLQ, instead of calling SQS. */
function spyOnDeadLetters(fail?: Error) {
  const sent: DeadLetter[] = [];
  const send = jest
    .spyOn(SqsDeadLetterQueue.prototype, 'send')
    .mockImplementation(async (letter: DeadLetter) => {
      if (fail) throw fail;
      sent.push(letter);
    });
  return { sent, send };
}

/** Records each retry asked for, with the delay the real scheduler computes, instead of calling SQS. */
function spyOnRetries(fail?: Error) {
  const scheduled: { receiptHandle: string; attempt: number; delaySeconds: number }[] = [];
  jest.spyOn(SqsRetryScheduler.prototype, 'retryLater').mockImplementation(async function (
    this: SqsRetryScheduler,
    receiptHandle,
    attempt,
  ) {
    if (fail) throw fail;
    const delaySeconds = this.delayAfter(attempt);
    scheduled.push({ receiptHandle, attempt, delaySeconds });
    return delaySeconds;
  });
  return scheduled;
}

function captureLogs(): JsonLine[] {
  const lines = captureJsonLines();
  logger.setLogLevel('INFO');
  return lines;
}

const withMessage = (lines: JsonLine[], message: string) =>
  lines.filter((line) => line.message === message);

describe('Function: sqsBatchConsumer', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    logger.setLogLevel('SILENT');
  });

  describe('partial batch failures', () => {
    it('reports only the record whose item fails, and handles its batch-mates once', async () => {
      // Prepare
      const handled: string[] = [];
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async (job) => {
          handled.push(job.jobId);
          if (job.jobId === 'b') throw new Error('downstream is down');
        },
      });

      // Act
      const response = await handler(
        sqsEvent(jobs('msg-1', 'a'), jobs('msg-2', 'b'), jobs('msg-3', 'c')),
        fakeContext(),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-2' }] });
      expect(handled).toEqual(['a', 'b', 'c']);
    });

    it('fails a record when any of its items fails, and acknowledges a record with none', async () => {
      // Prepare
      const handled: string[] = [];
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async (job) => {
          handled.push(job.jobId);
          if (job.jobId === 'y') throw new Error('downstream is down');
        },
      });

      // Act
      const response = await handler(
        sqsEvent(jobs('msg-1', 'x', 'y', 'z'), jobs('msg-2')),
        fakeContext(),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
      // The rest of a failed record waits for its retry.
      expect(handled).toEqual(['x', 'y']);
    });

    it('reports a record the parser fails on unexpectedly as failed, for a retry, not as invalid', async () => {
      // Prepare
      const { sent } = spyOnDeadLetters();
      const handler = sqsBatchConsumer<Job>({
        parser: {
          ...jobParser,
          parse: () => {
            throw new TypeError('a bug in the parser');
          },
        },
        itemName: 'job',
        handle: async () => {},
        deadLetterQueueUrl: DLQ_URL,
      });

      // Act
      const response = await handler(sqsEvent(jobs('msg-1', 'a')), fakeContext());

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
      expect(sent).toEqual([]);
    });
  });

  describe('invalid records', () => {
    it('dead-letters an invalid record at once with its reason, acknowledges it, and handles its batch-mates', async () => {
      // Prepare
      const { sent } = spyOnDeadLetters();
      const handle = jest.fn(async (_job: Job) => {});
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle,
        deadLetterQueueUrl: DLQ_URL,
      });

      // Act
      const response = await handler(
        sqsEvent(
          sqsRecord('not json', {
            messageId: 'msg-bad',
            // A first delivery: it does not wait for maxReceiveCount.
            attributes: { ApproximateReceiveCount: '1' },
          }),
          jobs('msg-2', 'a'),
        ),
        fakeContext(),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(sent).toEqual([
        { body: 'not json', sourceMessageId: 'msg-bad', reason: 'the body is not JSON' },
      ]);
      expect(handle.mock.calls.map(([job]) => job.jobId)).toEqual(['a']);
    });

    it('logs the rejection once, naming the record, its details and that it was dead-lettered', async () => {
      // Prepare
      spyOnDeadLetters();
      const lines = captureLogs();
      const { lambdaHandler } = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async () => {},
        deadLetterQueueUrl: DLQ_URL,
      });

      // Act
      await lambdaHandler(sqsEvent(sqsRecord('not json', { messageId: 'msg-bad' })), fakeContext());

      // Assess
      expect(withMessage(lines, INVALID_LOG)).toEqual([
        expect.objectContaining({
          level: 'ERROR',
          messageId: 'msg-bad',
          issue: 'not JSON',
          deadLettered: true,
        }),
      ]);
    });

    it('reports an invalid record as failed when there is no DLQ to send it to', async () => {
      // Prepare
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async () => {},
      });

      // Act
      const response = await handler(
        sqsEvent(sqsRecord('{"jobs":"x"}', { messageId: 'msg-bad' })),
        fakeContext(),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-bad' }] });
    });

    it('reports an invalid record as failed when the DLQ cannot take it, so it is not lost', async () => {
      // Prepare
      spyOnDeadLetters(new Error('SQS unavailable'));
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async () => {},
        deadLetterQueueUrl: DLQ_URL,
      });

      // Act
      const response = await handler(
        sqsEvent(sqsRecord('not json', { messageId: 'msg-bad' })),
        fakeContext(),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-bad' }] });
    });
  });

  describe('retries', () => {
    it('schedules a failed record back with exponential backoff from its receive count', async () => {
      // Prepare
      const scheduled = spyOnRetries();
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async (job) => {
          if (job.jobId !== 'ok') throw new Error('downstream is down');
        },
        retry: { queueUrl: QUEUE_URL, baseDelaySeconds: 2, maxDelaySeconds: 30 },
      });
      const attempt = (messageId: string, count: string) => ({
        ...jobs(messageId, messageId),
        attributes: { ...jobs(messageId).attributes, ApproximateReceiveCount: count },
      });

      // Act
      const response = await handler(
        sqsEvent(
          attempt('first', '1'),
          attempt('third', '3'),
          attempt('tenth', '10'),
          jobs('m', 'ok'),
        ),
        fakeContext(),
      );

      // Assess
      expect(response.batchItemFailures).toEqual([
        { itemIdentifier: 'first' },
        { itemIdentifier: 'third' },
        { itemIdentifier: 'tenth' },
      ]);
      expect(scheduled).toEqual([
        { receiptHandle: 'receipt-first', attempt: 1, delaySeconds: 2 },
        { receiptHandle: 'receipt-third', attempt: 3, delaySeconds: 8 },
        { receiptHandle: 'receipt-tenth', attempt: 10, delaySeconds: 30 },
      ]);
    });

    it('schedules no retry for an invalid record or a handled one', async () => {
      // Prepare
      spyOnDeadLetters();
      const scheduled = spyOnRetries();
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async () => {},
        deadLetterQueueUrl: DLQ_URL,
        retry: { queueUrl: QUEUE_URL },
      });

      // Act
      await handler(sqsEvent(sqsRecord('not json'), jobs('msg-2', 'a')), fakeContext());

      // Assess
      expect(scheduled).toEqual([]);
    });

    it('still reports the record as failed when the retry cannot be scheduled', async () => {
      // Prepare
      spyOnRetries(new Error('SQS unavailable'));
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async () => {
          throw new Error('downstream is down');
        },
        retry: { queueUrl: QUEUE_URL },
      });

      // Act
      const response = await handler(sqsEvent(jobs('msg-1', 'a')), fakeContext());

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    });
  });

  describe('idempotency', () => {
    it('handles a redelivered item once, in the same batch and in a later one, and acknowledges both', async () => {
      // Prepare
      const { store } = inMemoryIdempotencyStore();
      const handled: string[] = [];
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async (job, record: SQSRecord) => {
          handled.push(`${job.jobId}@${record.messageId}`);
        },
        idempotency: { keyPath: 'jobId', persistenceStore: store },
      });

      // Act
      const first = await handler(
        sqsEvent(jobs('msg-1', 'a'), jobs('msg-2', 'a'), jobs('msg-3', 'b')),
        fakeContext(),
      );
      const replay = await handler(sqsEvent(jobs('msg-4', 'a')), fakeContext());

      // Assess
      expect(first).toEqual({ batchItemFailures: [] });
      expect(replay).toEqual({ batchItemFailures: [] });
      expect(handled).toEqual(['a@msg-1', 'b@msg-3']);
    });

    it('handles an item again after its handling failed', async () => {
      // Prepare
      const { store } = inMemoryIdempotencyStore();
      let calls = 0;
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async () => {
          calls += 1;
          if (calls === 1) throw new Error('downstream is down');
        },
        idempotency: { keyPath: 'jobId', persistenceStore: store },
      });

      // Act
      const failed = await handler(sqsEvent(jobs('msg-1', 'a')), fakeContext());
      const retried = await handler(sqsEvent(jobs('msg-1', 'a')), fakeContext());

      // Assess
      expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
      expect(retried).toEqual({ batchItemFailures: [] });
      expect(calls).toBe(2);
    });
  });

  describe('log keys', () => {
    it("puts the parser's keys on every line of an item, and removes them after it", async () => {
      // Prepare
      const lines = captureLogs();
      const { lambdaHandler } = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle: async (job) => {
          // Lets other records run first if the core ever handled them in parallel.
          for (let i = 0; i < 10; i++) await Promise.resolve();
          logger.info('working', { expected: job.flow });
          if (job.jobId === 'b') throw new Error('downstream is down');
        },
      });

      // Act
      await lambdaHandler(
        sqsEvent(
          jobs('msg-1', 'a'),
          jobs('msg-2', 'b'),
          sqsRecord('not json', { messageId: 'msg-3' }),
        ),
        fakeContext(),
      );
      logger.info('after the batch');

      // Assess
      const working = withMessage(lines, 'working');
      expect(working.map((line) => [line.correlationId, line.jobId])).toEqual([
        ['flow-a', 'a'],
        ['flow-b', 'b'],
      ]);
      for (const line of working) expect(line.correlationId).toBe(line.expected);
      expect(withMessage(lines, 'job handled')).toEqual([
        expect.objectContaining({
          correlationId: 'flow-a',
          jobId: 'a',
          durationMs: expect.any(Number),
        }),
      ]);
      expect(withMessage(lines, 'job handling failed; it will be retried')).toEqual([
        expect.objectContaining({ level: 'ERROR', correlationId: 'flow-b', jobId: 'b' }),
      ]);
      const [rejected] = withMessage(lines, INVALID_LOG);
      expect(rejected).toMatchObject({ messageId: 'msg-3' });
      expect(rejected).not.toHaveProperty('correlationId');
      const [after] = withMessage(lines, 'after the batch');
      expect(after).not.toHaveProperty('correlationId');
      expect(after).not.toHaveProperty('jobId');
    });
  });

  describe('time left', () => {
    it('does not start a record with less time left than asked for, and reports it as failed', async () => {
      // Prepare
      const scheduled = spyOnRetries();
      const handle = jest.fn(async () => {});
      const handler = sqsBatchConsumer({
        parser: jobParser,
        itemName: 'job',
        handle,
        minRemainingMs: 8_000,
        retry: { queueUrl: QUEUE_URL },
      });

      // Act
      const response = await handler(
        sqsEvent(jobs('late', 'a')),
        fakeContext({ getRemainingTimeInMillis: () => 2_000 }),
      );

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'late' }] });
      expect(handle).not.toHaveBeenCalled();
      // Nothing failed: it comes back after the visibility timeout, when a fresh invocation has time.
      expect(scheduled).toEqual([]);
    });
  });
});
