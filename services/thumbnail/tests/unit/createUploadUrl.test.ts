import { adminClaims, apiGatewayEvent, customerClaims, fakeContext } from '@shop/testing';
import { BUCKET } from '../helpers/s3Events';

process.env.MEDIA_BUCKET = BUCKET;
process.env.UPLOAD_PREFIX = 'uploads/';
process.env.THUMBNAIL_PREFIX = 'thumbnails/';
process.env.MAX_UPLOAD_BYTES = String(10 * 1024 * 1024);

/** POST /uploads as `claims` (an administrator's by default); `null` sends no token. */
const post = (
  body: unknown,
  headers: Record<string, string> = {},
  claims: Record<string, unknown> | null = adminClaims(),
) =>
  apiGatewayEvent({
    method: 'POST',
    path: '/uploads',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(claims ? { claims } : {}),
  });

const validUpload = { fileName: 'beans.jpg', contentType: 'image/jpeg', contentLength: 1024 };

describe('Function: createUploadUrl', () => {
  const load = async () => (await import('../../src/functions/createUploadUrl/handler')).handler;

  it('answers 201 with a presigned PUT for uploads/<uuid>/<file name>, type and size signed', async () => {
    const handler = await load();

    const response = await handler(
      post({ fileName: 'espresso beans+1.jpg', contentType: 'image/jpeg', contentLength: 482_113 }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(201);
    const body = JSON.parse(String(response.body));
    expect(body.key).toMatch(/^uploads\/[0-9a-f-]{36}\/espresso beans\+1\.jpg$/);
    expect(body.key).toBe(`uploads/${body.uploadId}/espresso beans+1.jpg`);
    expect(body.thumbnailKey).toBe(`thumbnails/${body.uploadId}/espresso beans+1_thumb.jpg`);
    expect(body.upload).toMatchObject({
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg', 'Content-Length': '482113' },
    });
    const url = new URL(body.upload.url);
    expect(decodeURIComponent(url.pathname)).toContain(
      `uploads/${body.uploadId}/espresso beans+1.jpg`,
    );
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(Date.parse(body.upload.expiresAt)).toBeGreaterThan(Date.now());
    expect(response.headers?.['X-Correlation-Id']).toBeDefined();
  });

  it('signs each URL for its own new key, type and size, for at most 5 minutes', async () => {
    const handler = await load();
    const before = Date.now();

    const [first, second] = await Promise.all(
      [validUpload, { ...validUpload, contentType: 'image/png', contentLength: 2048 }].map(
        async (upload) =>
          JSON.parse(String((await handler(post(upload), fakeContext())).body)) as {
            key: string;
            upload: { url: string; headers: Record<string, string>; expiresAt: string };
          },
      ),
    );

    expect(first?.key).not.toBe(second?.key);
    for (const [issued, type, size] of [
      [first, 'image/jpeg', '1024'],
      [second, 'image/png', '2048'],
    ] as const) {
      const url = new URL(issued?.upload.url ?? '');
      expect(decodeURIComponent(url.pathname).endsWith(`/${issued?.key}`)).toBe(true);
      expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
        expect.arrayContaining(['content-type', 'content-length']),
      );
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
      expect(issued?.upload.headers).toEqual({ 'Content-Type': type, 'Content-Length': size });
      expect(Date.parse(issued?.upload.expiresAt ?? '') - before).toBeLessThanOrEqual(301_000);
    }
  });

  it('names every offending field in a 400', async () => {
    const handler = await load();

    const response = await handler(
      post({
        fileName: '../etc/passwd',
        contentType: 'image/heic',
        contentLength: 50 * 1024 * 1024,
      }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(400);
    const problem = JSON.parse(String(response.body));
    expect(problem).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(problem.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'contentLength',
      'contentType',
      'fileName',
    ]);
  });

  it('rejects unknown fields, a missing size and an empty name', async () => {
    const handler = await load();

    const response = await handler(
      post({ fileName: '  ', contentType: 'image/png', extra: true }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(400);
    const paths = JSON.parse(String(response.body)).issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['fileName', 'contentLength', 'extra']));
  });

  it.each(['image/tiff', 'image/bmp', 'image/webp', 'image/avif'])(
    'signs uploads of the new type %s',
    async (type) => {
      const handler = await load();

      const response = await handler(post({ ...validUpload, contentType: type }), fakeContext());

      expect(response.statusCode).toBe(201);
      expect(JSON.parse(String(response.body)).upload.headers['Content-Type']).toBe(type);
    },
  );

  it.each(['application/pdf', 'image/heic'])(
    'refuses %s, whose uploads would never get a thumbnail',
    async (type) => {
      const handler = await load();

      const response = await handler(post({ ...validUpload, contentType: type }), fakeContext());

      expect(response.statusCode).toBe(400);
      expect(JSON.parse(String(response.body)).issues).toEqual([
        expect.objectContaining({ path: 'contentType' }),
      ]);
    },
  );

  it('answers 415 to a body that is not JSON', async () => {
    const handler = await load();

    const response = await handler(
      apiGatewayEvent({
        method: 'POST',
        path: '/uploads',
        headers: { 'content-type': 'image/jpeg' },
        body: 'xx',
        claims: adminClaims(),
      }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(415);
  });

  it('answers 403 to a signed-in customer, issuing no URL', async () => {
    const handler = await load();

    const response = await handler(post(validUpload, {}, customerClaims()), fakeContext());

    expect(response.statusCode).toBe(403);
    const problem = JSON.parse(String(response.body));
    expect(problem).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(problem).not.toHaveProperty('upload');
  });

  it('answers 401 with WWW-Authenticate: Bearer without a token, issuing no URL', async () => {
    const handler = await load();

    const response = await handler(post(validUpload, {}, null), fakeContext());

    expect(response.statusCode).toBe(401);
    expect(response.headers?.['WWW-Authenticate']).toBe('Bearer');
    expect(JSON.parse(String(response.body))).not.toHaveProperty('upload');
  });

  it('checks who calls before the body: a customer gets 403 even for an invalid body', async () => {
    const handler = await load();

    const response = await handler(post({ fileName: '../x' }, {}, customerClaims()), fakeContext());

    expect(response.statusCode).toBe(403);
  });
});

describe('Function: uploadsMethodNotAllowed', () => {
  it('answers 405 with Allow: POST', async () => {
    const { handler } = await import('../../src/functions/methodNotAllowed/handler');

    const response = await handler(
      apiGatewayEvent({ method: 'GET', path: '/uploads', routeKey: 'ANY /uploads' }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe('POST, OPTIONS');
  });
});
