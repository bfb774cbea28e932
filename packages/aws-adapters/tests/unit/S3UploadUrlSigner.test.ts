import { S3Client } from '@aws-sdk/client-s3';
import { MAX_UPLOAD_URL_EXPIRY_SECONDS, S3UploadUrlSigner } from '../../src/s3/S3UploadUrlSigner';
import { checkPresignedPut } from '../helpers/checkPresignedPut';

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

  describe('Method: presignPut, used for anything but its one upload', () => {
    const KEY = 'uploads/0b7c/espresso.jpg';
    const signer = new S3UploadUrlSigner({
      bucket: BUCKET,
      config: { region: 'eu-west-1', credentials },
    });
    const presign = () =>
      signer.presignPut(
        KEY,
        { contentType: 'image/jpeg', contentLength: 123_456, expiresInSeconds: 300 },
        NOW,
      );
    const seconds = (count: number) => new Date(NOW.getTime() + count * 1000);
    /** The same URL with another object key in its path, its query (and signature) kept. */
    const withKey = (url: string, key: string) => {
      const other = new URL(url);
      other.pathname = `/${key}`;
      return other.toString();
    };

    it('is accepted as issued: the PUT with exactly its headers, within its lifetime', async () => {
      // Prepare
      const upload = await presign();

      // Act
      const verdict = checkPresignedPut(
        { url: upload.url, headers: upload.headers, at: seconds(299) },
        credentials,
      );

      // Assess
      expect(verdict).toBe('accepted');
    });

    it.each([
      { change: 'another content type', headers: { 'Content-Type': 'text/html' } },
      { change: 'a larger body', headers: { 'Content-Length': '123457' } },
      { change: 'a smaller body', headers: { 'Content-Length': '1' } },
      { change: 'no content type', headers: { 'Content-Type': '' } },
    ])('is refused with $change', async ({ headers }) => {
      // Prepare
      const upload = await presign();

      // Act
      const verdict = checkPresignedPut(
        { url: upload.url, headers: { ...upload.headers, ...headers }, at: NOW },
        credentials,
      );

      // Assess
      expect(verdict).toBe('signature mismatch');
    });

    it.each([
      'uploads/0b7c/other.jpg',
      'uploads/1111/espresso.jpg',
      'thumbnails/0b7c/espresso_thumb.jpg',
    ])('is refused for another key: %s', async (key) => {
      // Prepare
      const upload = await presign();

      // Act
      const verdict = checkPresignedPut(
        { url: withKey(upload.url, key), headers: upload.headers, at: NOW },
        credentials,
      );

      // Assess
      expect(verdict).toBe('signature mismatch');
    });

    it('is refused once its 300 seconds are over', async () => {
      // Prepare
      const upload = await presign();

      // Act
      const verdict = checkPresignedPut(
        { url: upload.url, headers: upload.headers, at: seconds(301) },
        credentials,
      );

      // Assess
      expect(verdict).toBe('expired');
      expect(upload.expiresAt).toEqual(seconds(300));
    });

    it('signs the content type and the length, not only the host', async () => {
      // Act
      const upload = await presign();

      // Assess
      const signed = new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')?.split(';');
      expect(signed).toEqual(expect.arrayContaining(['content-type', 'content-length', 'host']));
    });
  });

  describe('Method: presignPut, asked for a URL that would outlive or outgrow its purpose', () => {
    const signer = new S3UploadUrlSigner({
      bucket: BUCKET,
      config: { region: 'eu-west-1', credentials },
    });
    const valid = { contentType: 'image/png', contentLength: 10, expiresInSeconds: 60 };

    it.each([
      { case: 'an expiry over 5 minutes', upload: { expiresInSeconds: 301 } },
      { case: 'an expiry of a week', upload: { expiresInSeconds: 7 * 24 * 3600 } },
      { case: 'no expiry', upload: { expiresInSeconds: 0 } },
      { case: 'a fractional expiry', upload: { expiresInSeconds: 30.5 } },
      { case: 'no length', upload: { contentLength: 0 } },
      { case: 'a fractional length', upload: { contentLength: 1.5 } },
      { case: 'an empty content type', upload: { contentType: ' ' } },
    ])('refuses $case, signing nothing', async ({ upload }) => {
      // Act & Assess
      await expect(
        signer.presignPut('uploads/x/a.png', { ...valid, ...upload }, NOW),
      ).rejects.toThrow(RangeError);
    });

    it('signs an expiry of exactly 5 minutes', async () => {
      // Act
      const upload = await signer.presignPut(
        'uploads/x/a.png',
        { ...valid, expiresInSeconds: MAX_UPLOAD_URL_EXPIRY_SECONDS },
        NOW,
      );

      // Assess
      expect(new URL(upload.url).searchParams.get('X-Amz-Expires')).toBe('300');
    });
  });
});
