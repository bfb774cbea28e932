import { createHash } from 'node:crypto';
import { sqsEvent, sqsRecord } from '../../src/sqsEvent';

describe('Function: sqsRecord', () => {
  it('carries a string body as is, with the defaults of a first delivery', () => {
    // Act
    const record = sqsRecord('not json', { messageId: 'msg-1' });

    // Assess
    expect(record).toEqual({
      messageId: 'msg-1',
      receiptHandle: 'receipt-msg-1',
      body: 'not json',
      attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }),
      messageAttributes: {},
      md5OfBody: createHash('md5').update('not json').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:serverless-shop-test-queue',
      awsRegion: 'us-east-1',
    });
  });

  it('serialises any other body as JSON', () => {
    const record = sqsRecord({ eventType: 'OrderCreated' });

    expect(record.body).toBe('{"eventType":"OrderCreated"}');
  });

  it('gives every record its own message id unless told one', () => {
    expect(sqsRecord('a').messageId).not.toBe(sqsRecord('a').messageId);
  });

  it('merges attribute overrides into the defaults and puts the queue in the given region', () => {
    // Act
    const record = sqsRecord('x', {
      attributes: { ApproximateReceiveCount: '3' },
      awsRegion: 'eu-west-1',
    });

    // Assess
    expect(record.attributes).toMatchObject({
      ApproximateReceiveCount: '3',
      SentTimestamp: expect.any(String),
    });
    expect(record.eventSourceARN).toMatch(/^arn:aws:sqs:eu-west-1:/);
  });
});

describe('Function: sqsEvent', () => {
  it('batches the records in order', () => {
    const first = sqsRecord('1');
    const second = sqsRecord('2');

    expect(sqsEvent(first, second)).toEqual({ Records: [first, second] });
  });
});
