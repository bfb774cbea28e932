import { S3Client } from '@aws-sdk/client-s3';
import { S3UploadUrlSigner } from '../../src/s3/S3UploadUrlSigner';

const BUCKET = 'shop-thumbnail-test-media';
const NOW = new Date('2026-11-27T10:00:00.000Z');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('Class: S3UploadUrlSigner', () => {
  it('presigns a PUT with the content type and exact length signed, and no checksum of an empty body', async () => {
    const signer = new S3UploadUrlSigner({
      bucket: BUCKET,
      config: { region: 'eu-west-1', credentials },
    });

    const upload = await signer.presignPut(
      'uploads/0b7c/espresso beans+1.jpg',
      { contentType: 'image/jpeg', contentLength: 123_456, expiresInSeconds: 300 },
      NOW,
    );

    const url = new URL(upload.url);
    expect(url.host).toBe(`${BUCKET}.s3.eu-west-1.amazonaws.com`);
    expect(url.pathname).toBe('/uploads/0b7c/espresso%20beans%2B1.jpg');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261127T100000Z');
    expect(url.searchParams.has('X-Amz-Signature')).toBe(true);
    expect([...url.searchParams.keys()].some((k) => k.startsWith('x-amz-checksum'))).toBe(false);
    expect(upload).toMatchObject({
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg', 'Content-Length': '123456' },
      expiresAt: new Date('2026-11-27T10:05:00.000Z'),
    });
  });

  it('uses path-style URLs against a local endpoint given by IP address', async () => {
    const signer = new S3UploadUrlSigner({
      bucket: BUCKET,
      client: new S3Client({
        region: 'eu-west-1',
        credentials,
        endpoint: 'http://127.0.0.1:4566',
        requestChecksumCalculation: 'WHEN_REQUIRED',
      }),
    });

    const upload = await signer.presignPut(
      'uploads/x/é.png',
      { contentType: 'image/png', contentLength: 10, expiresInSeconds: 60 },
      NOW,
    );

    expect(upload.url.startsWith(`http://127.0.0.1:4566/${BUCKET}/uploads/x/%C3%A9.png?`)).toBe(
      true,
    );
  });
});
