import type { ShopEvent } from '@shop/contracts';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:123456789012:shop-analytics-test-events';

/** An SQS record as Lambda delivers it, carrying `body` as is. */
export function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795773600000',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1795773600100',
    },
    messageAttributes: {},
    md5OfBody: '098f6bcd4621d373cade4e832627b4f6',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'eu-west-1',
  };
}

/** A record of the analytics queue, whose subscription uses raw delivery: the body is the event. */
export const eventRecord = (messageId: string, event: ShopEvent) =>
  sqsRecord(messageId, JSON.stringify(event));

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
