import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord, SQSRecordAttributes } from 'aws-lambda';

/** Fields of an SQS record to set instead of the defaults; `attributes` are merged into them. */
export type SqsRecordOverrides = Partial<Omit<SQSRecord, 'body' | 'attributes'>> & {
  attributes?: Partial<SQSRecordAttributes>;
};

const DEFAULT_REGION = 'us-east-1';

/**
 * An SQS record as Lambda delivers it from a queue, carrying `body`: a string as is (raw delivery,
 * an SNS envelope, or anything malformed), anything else serialised as JSON — an event envelope
 * from `buildEvent`, say, as a raw-delivery subscription delivers it.
 *
 * Defaults: a fresh UUID as `messageId`, `receipt-<messageId>` as `receiptHandle`, a first receive
 * (`ApproximateReceiveCount: '1'`), the body's real MD5, and a queue of account 123456789012 in
 * `awsRegion` (us-east-1 unless overridden). Any field can be overridden; `attributes` are merged.
 *
 * @example
 * ```ts
 * const event = buildEvent('OrderCreated', eventCatalogue.OrderCreated.example);
 * await handler(
 *   sqsEvent(
 *     sqsRecord(event, { messageId: 'msg-1' }),
 *     sqsRecord('not json', { messageId: 'msg-2', attributes: { ApproximateReceiveCount: '3' } }),
 *   ),
 *   fakeContext(),
 * );
 * ```
 */
export function sqsRecord(body: string | object, overrides: SqsRecordOverrides = {}): SQSRecord {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const { attributes, ...fields } = overrides;
  const messageId = fields.messageId ?? randomUUID();
  const awsRegion = fields.awsRegion ?? DEFAULT_REGION;
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1714557600000',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1714557600100',
      ...attributes,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(text).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${awsRegion}:123456789012:serverless-shop-test-queue`,
    awsRegion,
    ...fields,
  };
}

/**
 * The event Lambda hands an SQS-triggered function: the records, in order, as one batch.
 *
 * @example
 * ```ts
 * const response = await handler(sqsEvent(sqsRecord(first), sqsRecord(second)), fakeContext());
 * expect(response).toEqual({ batchItemFailures: [] });
 * ```
 */
export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
