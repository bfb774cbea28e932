import 'aws-sdk-client-mock-jest';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ObjectStore } from '../../src/s3/S3ObjectStore';

const BUCKET = 'shop-thumbnail-test-media';

const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });

/** A GetObject body as the SDK hands it: readable once, destroyable. */
function body(bytes: Uint8Array) {
  const stream = { transformToByteArray: jest.fn(async () => bytes), destroy: jest.fn() };
  return stream as unknown as GetObjectCommandOutput['Body'] & typeof stream;
}

describe('Class: S3ObjectStore', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  it('heads an object: ETag without quotes, content type, metadata', async () => {
    s3.on(HeadObjectCommand).resolves({
      ETag: '"abc123"',
      ContentType: 'image/png',
      ContentLength: 42,
      Metadata: { 'source-etag': 'def', Width: '128' },
    });
    const store = new S3ObjectStore({ bucket: BUCKET });

    await expect(store.head('thumbnails/a_thumb.png')).resolves.toEqual({
      etag: 'abc123',
      contentType: 'image/png',
      contentLength: 42,
      metadata: { 'source-etag': 'def', width: '128' },
    });
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
      Bucket: BUCKET,
      Key: 'thumbnails/a_thumb.png',
    });
  });

  it('answers undefined for a missing object (404)', async () => {
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));

    await expect(
      new S3ObjectStore({ bucket: BUCKET }).head('thumbnails/x'),
    ).resolves.toBeUndefined();
  });

  it('lets a HEAD’s 403 through: S3 gives it for a missing grant, and for any key without ListBucket', async () => {
    s3.on(HeadObjectCommand).rejects(s3Error('Forbidden', 403));

    await expect(new S3ObjectStore({ bucket: BUCKET }).head('thumbnails/x')).rejects.toThrow(
      'Forbidden',
    );
  });

  it('lets other HEAD errors through', async () => {
    s3.on(HeadObjectCommand).rejects(s3Error('SlowDown', 503));

    await expect(new S3ObjectStore({ bucket: BUCKET }).head('k')).rejects.toThrow('SlowDown');
  });

  it('gets the bytes of an object', async () => {
    s3.on(GetObjectCommand).resolves({
      Body: body(Uint8Array.from([1, 2, 3])),
      ETag: '"e1"',
      ContentLength: 3,
      ContentType: 'image/jpeg',
    });

    const fetched = await new S3ObjectStore({ bucket: BUCKET }).get('uploads/a b/ü.jpg', {
      maxBytes: 10,
    });

    expect(fetched).toEqual({
      kind: 'found',
      bytes: Buffer.from([1, 2, 3]),
      etag: 'e1',
      contentType: 'image/jpeg',
    });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: 'uploads/a b/ü.jpg',
    });
  });

  it('does not read a body larger than asked for', async () => {
    const big = body(new Uint8Array(0));
    s3.on(GetObjectCommand).resolves({ Body: big, ETag: '"e2"', ContentLength: 50_000_000 });

    const fetched = await new S3ObjectStore({ bucket: BUCKET }).get('uploads/big.jpg', {
      maxBytes: 1000,
    });

    expect(fetched).toEqual({ kind: 'too-large', size: 50_000_000, etag: 'e2' });
    expect(big.transformToByteArray).not.toHaveBeenCalled();
    expect(big.destroy).toHaveBeenCalled();
  });

  it('answers undefined for a deleted object and lets other GET errors through', async () => {
    const store = new S3ObjectStore({ bucket: BUCKET });
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'gone' }),
    );
    await expect(store.get('uploads/gone.jpg', { maxBytes: 10 })).resolves.toBeUndefined();

    s3.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(store.get('uploads/secret.jpg', { maxBytes: 10 })).rejects.toThrow('AccessDenied');
  });

  it('puts an object with its content type, length, metadata and cache control', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"p"' });

    await new S3ObjectStore({ bucket: BUCKET }).put('thumbnails/a_thumb.gif', {
      body: Buffer.from('GIF89a'),
      contentType: 'image/gif',
      metadata: { 'source-etag': 'e1' },
      cacheControl: 'max-age=300',
    });

    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'thumbnails/a_thumb.gif',
      Body: Buffer.from('GIF89a'),
      ContentType: 'image/gif',
      ContentLength: 6,
      Metadata: { 'source-etag': 'e1' },
      CacheControl: 'max-age=300',
    });
  });

  it('uses a ready client when given one', async () => {
    const client = new S3Client({ region: 'eu-west-1' });
    s3.on(PutObjectCommand).resolves({});

    await new S3ObjectStore({ bucket: BUCKET, client }).put('k', {
      body: Buffer.alloc(1),
      contentType: 'image/png',
    });

    expect(s3.call(0).thisValue).toBe(client);
  });
});
