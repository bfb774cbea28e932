import { NotAnS3NotificationError, objectsCreatedIn } from '../../src/s3NotificationConsumer';
import { BUCKET, s3NotificationRecord } from '../helpers/s3Events';

describe('objectsCreatedIn', () => {
  it('decodes keys as S3 encodes them in events', () => {
    const record = s3NotificationRecord('uploads/a b/1+1 ünï.jpg', { etag: '"abc"', size: 12 });

    expect(objectsCreatedIn(record.body)).toEqual([
      {
        bucket: BUCKET,
        key: 'uploads/a b/1+1 ünï.jpg',
        etag: 'abc',
        size: 12,
        eventName: 'ObjectCreated:Put',
        correlationId: expect.stringMatching(/^s3:uploads_a_b_1_1_.+\.jpg:[0-9a-f]{16}$/),
      },
    ]);
  });

  it('keeps only object-created records and reads the S3 test event as none', () => {
    const removed = s3NotificationRecord('uploads/x.jpg', { eventName: 'ObjectRemoved:Delete' });

    expect(objectsCreatedIn(removed.body)).toEqual([]);
    expect(objectsCreatedIn(JSON.stringify({ Event: 's3:TestEvent' }))).toEqual([]);
  });

  it('throws for bodies that are not S3 notifications', () => {
    expect(() => objectsCreatedIn('nope')).toThrow(NotAnS3NotificationError);
    expect(() => objectsCreatedIn('{"Records":"x"}')).toThrow('not an S3 event notification');
    const badKey = JSON.parse(s3NotificationRecord('uploads/x.jpg').body);
    badKey.Records[0].s3.object.key = 'uploads/%E0%A4%A.jpg';
    expect(() => objectsCreatedIn(JSON.stringify(badKey))).toThrow('is not URL-encoded');
  });
});
