import {
  type ApiGatewayEventOptions,
  adminClaims,
  apiGatewayEvent,
  customerClaims,
  fakeContext,
} from '@shop/testing';
import type { Caller } from '../../src/caller';
import { badRequest, HttpError, notFound } from '../../src/errors';
import { type HttpRequest, httpHandler } from '../../src/httpHandler';
import { type HttpResponse, json } from '../../src/response';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JSON_HEADERS = { 'content-type': 'application/json' };

/** A request of a signed-in customer (routes are `signedIn` unless they say otherwise). */
const signedInEvent = (options: ApiGatewayEventOptions = {}) =>
  apiGatewayEvent({ claims: customerClaims(), ...options });

/** A route that records the request it got and answers 200 with `{ ok: true }`. */
function recordingRoute() {
  const requests: HttpRequest[] = [];
  const route = jest.fn(async (request: HttpRequest): Promise<HttpResponse> => {
    requests.push(request);
    return json(200, { ok: true });
  });
  return { route, requests };
}

/** A handler whose route throws `error`. */
const throwing = (error: unknown, options?: Parameters<typeof httpHandler>[1]) =>
  httpHandler(async () => {
    throw error;
  }, options);

const problemOf = (response: HttpResponse) => JSON.parse(String(response.body));

describe('Function: httpHandler', () => {
  describe('requests', () => {
    it('passes the parsed JSON body and the request fields to the route', async () => {
      // Prepare
      const { route, requests } = recordingRoute();
      const handler = httpHandler(route);
      const context = fakeContext();

      // Act
      const response = await handler(
        signedInEvent({
          method: 'POST',
          path: '/orders/42/notes',
          routeKey: 'POST /orders/{id}/notes',
          pathParameters: { id: '42' },
          query: { dryRun: 'true' },
          headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Custom': 'yes' },
          body: { note: 'ring twice', lines: [1, 2] },
        }),
        context,
      );

      // Assess
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(String(response.body))).toEqual({ ok: true });
      expect(route).toHaveBeenCalledTimes(1);
      expect(requests[0]).toMatchObject({
        method: 'POST',
        routeKey: 'POST /orders/{id}/notes',
        path: '/orders/42/notes',
        pathParameters: { id: '42' },
        query: { dryRun: 'true' },
        body: { note: 'ring twice', lines: [1, 2] },
        context,
      });
      // Header names are lower-cased.
      expect(requests[0]?.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'x-custom': 'yes',
      });
      expect(requests[0]?.headers).not.toHaveProperty('X-Custom');
    });

    it('defaults missing path and query parameters to empty objects', async () => {
      const { route, requests } = recordingRoute();

      await httpHandler(route).lambdaHandler(signedInEvent({ path: '/orders' }), fakeContext());

      expect(requests[0]?.pathParameters).toEqual({});
      expect(requests[0]?.query).toEqual({});
    });

    it.each(['PUT', 'PATCH'])('parses the JSON body of %s requests', async (method) => {
      const { route, requests } = recordingRoute();

      await httpHandler(route).lambdaHandler(
        signedInEvent({ method, path: '/orders/1', headers: JSON_HEADERS, body: { a: 1 } }),
        fakeContext(),
      );

      expect(requests[0]?.body).toEqual({ a: 1 });
    });

    it.each(['GET', 'DELETE', 'HEAD'])(
      'gives %s requests no body, even if one is sent',
      async (method) => {
        const { route, requests } = recordingRoute();

        await httpHandler(route).lambdaHandler(
          signedInEvent({
            method,
            path: '/orders',
            headers: { 'content-type': 'text/plain' },
            body: 'hello',
          }),
          fakeContext(),
        );

        expect(route).toHaveBeenCalledTimes(1);
        expect(requests[0]?.body).toBeUndefined();
        expect(requests[0]?.method).toBe(method);
      },
    );

    it('upper-cases the method', async () => {
      const { route, requests } = recordingRoute();

      await httpHandler(route).lambdaHandler(
        signedInEvent({ method: 'post', path: '/orders', headers: JSON_HEADERS, body: {} }),
        fakeContext(),
      );

      expect(requests[0]?.method).toBe('POST');
      expect(requests[0]?.body).toEqual({});
    });

    it('accepts a +json media type such as application/merge-patch+json', async () => {
      const { route, requests } = recordingRoute();

      await httpHandler(route).lambdaHandler(
        signedInEvent({
          method: 'PATCH',
          path: '/orders/1',
          headers: { 'content-type': 'Application/Merge-Patch+JSON' },
          body: { status: 'CANCELLED' },
        }),
        fakeContext(),
      );

      expect(requests[0]?.body).toEqual({ status: 'CANCELLED' });
    });

    it('decodes a base64-encoded body', async () => {
      // Prepare
      const { route, requests } = recordingRoute();
      const event = signedInEvent({
        method: 'POST',
        path: '/orders',
        headers: JSON_HEADERS,
        body: { customer: 'Zoë', emoji: '☕' },
        base64: true,
      });
      expect(event.body).not.toContain('customer');

      // Act
      await httpHandler(route).lambdaHandler(event, fakeContext());

      // Assess
      expect(requests[0]?.body).toEqual({ customer: 'Zoë', emoji: '☕' });
    });
  });

  describe('body errors', () => {
    it.each([
      ['no Content-Type header', {}, /with a Content-Type header/],
      ['text/plain', { 'content-type': 'text/plain' }, /not text\/plain/],
      [
        'application/x-www-form-urlencoded',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        /not application\/x-www-form-urlencoded/,
      ],
      ['application/jsonp', { 'content-type': 'application/jsonp' }, /not application\/jsonp/],
    ])('answers 415 to a POST with %s', async (_case, headers, detail) => {
      // Prepare
      const { route } = recordingRoute();

      // Act
      const response = await httpHandler(route)(
        signedInEvent({ method: 'POST', path: '/orders', headers, body: { a: 1 } }),
        fakeContext(),
      );

      // Assess
      expect(response.statusCode).toBe(415);
      expect(response.headers).toMatchObject({
        'Content-Type': 'application/problem+json; charset=utf-8',
      });
      expect(problemOf(response)).toEqual({
        type: 'about:blank',
        title: 'Unsupported Media Type',
        status: 415,
        detail: expect.stringMatching(detail),
      });
      expect(route).not.toHaveBeenCalled();
    });

    it('answers 413 to a body over maxBodyBytes, counting bytes rather than characters', async () => {
      // Prepare: '"abcé"' is 6 characters but 7 bytes in UTF-8 ("é" takes two).
      const { route } = recordingRoute();
      const handler = httpHandler(route, { maxBodyBytes: 6 });

      // Act
      const tooLarge = await handler(
        signedInEvent({ method: 'POST', path: '/x', headers: JSON_HEADERS, body: '"abcé"' }),
        fakeContext(),
      );
      const atLimit = await handler(
        signedInEvent({ method: 'POST', path: '/x', headers: JSON_HEADERS, body: '"abcd"' }),
        fakeContext(),
      );

      // Assess
      expect(tooLarge.statusCode).toBe(413);
      expect(problemOf(tooLarge)).toMatchObject({
        title: 'Content Too Large',
        status: 413,
        detail: 'the body must be at most 6 bytes',
      });
      expect(atLimit.statusCode).toBe(200);
      expect(route).toHaveBeenCalledTimes(1);
    });

    it('answers 413 before looking at the content type', async () => {
      const { route } = recordingRoute();

      const response = await httpHandler(route, { maxBodyBytes: 10 })(
        signedInEvent({ method: 'POST', path: '/x', body: 'x'.repeat(11) }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(413);
    });

    it('measures a base64 body after decoding it', async () => {
      // 12 bytes of JSON are 16 characters of base64.
      const { route } = recordingRoute();

      const response = await httpHandler(route, { maxBodyBytes: 12 })(
        signedInEvent({
          method: 'POST',
          path: '/x',
          headers: JSON_HEADERS,
          body: '{"a":"1234"}',
          base64: true,
        }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(200);
    });

    it('allows 64 KiB by default', async () => {
      const { route } = recordingRoute();
      const handler = httpHandler(route);
      const body = (size: number) => `"${'x'.repeat(size - 2)}"`;

      const atLimit = await handler(
        signedInEvent({ method: 'POST', path: '/x', headers: JSON_HEADERS, body: body(65_536) }),
        fakeContext(),
      );
      const over = await handler(
        signedInEvent({ method: 'POST', path: '/x', headers: JSON_HEADERS, body: body(65_537) }),
        fakeContext(),
      );

      expect(atLimit.statusCode).toBe(200);
      expect(over.statusCode).toBe(413);
    });

    it('leaves the body unread, and unchecked, when readBody is false', async () => {
      // Prepare
      const { route, requests } = recordingRoute();
      const handler = httpHandler(route, { readBody: false, maxBodyBytes: 4 });

      // Act
      const response = await handler(
        signedInEvent({
          method: 'POST',
          path: '/x',
          headers: { 'content-type': 'text/plain' },
          body: '{not json',
        }),
        fakeContext(),
      );

      // Assess
      expect(response.statusCode).toBe(200);
      expect(requests[0]?.body).toBeUndefined();
    });

    it('answers 400 with an issue at path body for malformed JSON', async () => {
      // Prepare
      const { route } = recordingRoute();

      // Act
      const response = await httpHandler(route)(
        signedInEvent({ method: 'POST', path: '/orders', headers: JSON_HEADERS, body: '{"a":' }),
        fakeContext(),
      );

      // Assess
      expect(response.statusCode).toBe(400);
      expect(problemOf(response)).toEqual({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'the body is not valid JSON',
        issues: [{ path: 'body', message: expect.any(String) }],
      });
      expect(route).not.toHaveBeenCalled();
    });

    it.each([
      ['no body', undefined],
      ['an empty body', ''],
      ['a blank body', '  \n '],
    ])('answers 400 to a POST with %s', async (_case, body) => {
      const { route } = recordingRoute();

      const response = await httpHandler(route)(
        signedInEvent({ method: 'POST', path: '/orders', headers: JSON_HEADERS, body }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(400);
      expect(problemOf(response)).toMatchObject({
        detail: 'the body is empty; send a JSON object',
        issues: [{ path: 'body', message: 'is required' }],
      });
      expect(route).not.toHaveBeenCalled();
    });
  });

  describe('correlation id', () => {
    it.each([
      ['X-Correlation-Id', 'corr-123'],
      ['x-correlation-id', 'corr-123'],
      ['X-CORRELATION-ID', 'corr-123'],
      ['X-Request-ID', 'req.456:abc_DEF'],
      ['x-request-id', 'req-456'],
    ])('takes it from the %s header', async (header, value) => {
      // Prepare
      const { route, requests } = recordingRoute();

      // Act
      const response = await httpHandler(route)(
        signedInEvent({ path: '/orders', headers: { [header]: value } }),
        fakeContext(),
      );

      // Assess
      expect(requests[0]?.correlationId).toBe(value);
      expect(response.headers?.['X-Correlation-Id']).toBe(value);
    });

    it('prefers X-Correlation-Id over X-Request-ID', async () => {
      const { route, requests } = recordingRoute();

      await httpHandler(route)(
        signedInEvent({
          path: '/orders',
          headers: { 'x-request-id': 'from-request-id', 'x-correlation-id': 'from-correlation-id' },
        }),
        fakeContext(),
      );

      expect(requests[0]?.correlationId).toBe('from-correlation-id');
    });

    it('falls back to X-Request-ID when X-Correlation-Id is unsafe', async () => {
      const { route, requests } = recordingRoute();

      await httpHandler(route)(
        signedInEvent({
          path: '/orders',
          headers: { 'x-correlation-id': 'has spaces', 'x-request-id': 'req-1' },
        }),
        fakeContext(),
      );

      expect(requests[0]?.correlationId).toBe('req-1');
    });

    it('trims surrounding whitespace of a caller id', async () => {
      const { route, requests } = recordingRoute();

      await httpHandler(route)(
        signedInEvent({ path: '/orders', headers: { 'x-correlation-id': '  corr-1 ' } }),
        fakeContext(),
      );

      expect(requests[0]?.correlationId).toBe('corr-1');
    });

    it('generates a UUID when the caller sends none', async () => {
      // Prepare
      const { route, requests } = recordingRoute();
      const handler = httpHandler(route);

      // Act
      const first = await handler(signedInEvent({ path: '/orders' }), fakeContext());
      const second = await handler(signedInEvent({ path: '/orders' }), fakeContext());

      // Assess
      expect(requests[0]?.correlationId).toMatch(UUID);
      expect(first.headers?.['X-Correlation-Id']).toBe(requests[0]?.correlationId);
      expect(second.headers?.['X-Correlation-Id']).toBe(requests[1]?.correlationId);
      expect(requests[0]?.correlationId).not.toBe(requests[1]?.correlationId);
    });

    it.each([
      ['contains spaces', 'abc def'],
      ['is longer than 128 characters', 'a'.repeat(129)],
      ['contains a newline (log injection)', 'abc\ninjected=1'],
      ['contains markup', '<script>'],
      ['is empty', ''],
      ['is blank', '   '],
    ])('generates a UUID when the caller id %s', async (_case, value) => {
      const { route, requests } = recordingRoute();

      const response = await httpHandler(route)(
        signedInEvent({ path: '/orders', headers: { 'X-Correlation-Id': value } }),
        fakeContext(),
      );

      expect(requests[0]?.correlationId).toMatch(UUID);
      expect(response.headers?.['X-Correlation-Id']).toBe(requests[0]?.correlationId);
    });

    it('keeps a caller id of exactly 128 characters', async () => {
      const { route, requests } = recordingRoute();
      const value = 'a'.repeat(128);

      await httpHandler(route)(
        signedInEvent({ path: '/orders', headers: { 'X-Correlation-Id': value } }),
        fakeContext(),
      );

      expect(requests[0]?.correlationId).toBe(value);
    });

    it('echoes it on errors too', async () => {
      const response = await throwing(notFound('no such order'))(
        signedInEvent({ path: '/orders/1', headers: { 'X-Request-ID': 'req-9' } }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(404);
      expect(response.headers?.['X-Correlation-Id']).toBe('req-9');
    });

    it('echoes it on body errors that happen before the route runs', async () => {
      const { route } = recordingRoute();

      const response = await httpHandler(route)(
        signedInEvent({
          method: 'POST',
          path: '/orders',
          headers: { 'X-Correlation-Id': 'corr-415' },
          body: 'a=1',
        }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(415);
      expect(response.headers?.['X-Correlation-Id']).toBe('corr-415');
    });

    it('echoes it on unexpected errors', async () => {
      const response = await throwing(new Error('boom'))(
        signedInEvent({ path: '/orders', headers: { 'X-Correlation-Id': 'corr-500' } }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(500);
      expect(response.headers?.['X-Correlation-Id']).toBe('corr-500');
    });

    it('lets a route set its own headers next to it', async () => {
      const handler = httpHandler(async () => json(201, { id: 1 }, { Location: '/orders/1' }));

      const response = await handler(
        signedInEvent({ path: '/orders', headers: { 'X-Correlation-Id': 'corr-1' } }),
        fakeContext(),
      );

      expect(response).toEqual({
        statusCode: 201,
        headers: {
          'X-Correlation-Id': 'corr-1',
          'Content-Type': 'application/json; charset=utf-8',
          Location: '/orders/1',
        },
        body: '{"id":1}',
      });
    });
  });

  describe('errors', () => {
    it('answers a thrown HttpError with an RFC 9457 problem document and its issues', async () => {
      // Prepare
      const error = badRequest('the order is invalid', [
        { path: 'lines.0.quantity', message: 'must be positive' },
        { path: 'customerEmail', message: 'is not an email' },
      ]);

      // Act
      const response = await throwing(error)(
        signedInEvent({ method: 'POST', path: '/orders', headers: JSON_HEADERS, body: {} }),
        fakeContext(),
      );

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.headers?.['Content-Type']).toBe('application/problem+json; charset=utf-8');
      expect(problemOf(response)).toEqual({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'the order is invalid',
        issues: [
          { path: 'lines.0.quantity', message: 'must be positive' },
          { path: 'customerEmail', message: 'is not an email' },
        ],
      });
    });

    it('leaves issues out of a problem that has none', async () => {
      const response = await throwing(notFound('order 42 does not exist'))(
        signedInEvent({ path: '/orders/42' }),
        fakeContext(),
      );

      expect(problemOf(response)).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'order 42 does not exist',
      });
    });

    it('adds the headers of an HttpError to the response', async () => {
      const error = new HttpError(429, 'Too Many Requests', 'slow down', undefined, {
        'Retry-After': '30',
      });

      const response = await throwing(error)(signedInEvent(), fakeContext());

      expect(response.statusCode).toBe(429);
      expect(response.headers).toMatchObject({
        'Retry-After': '30',
        'Content-Type': 'application/problem+json; charset=utf-8',
      });
    });

    it('maps domain errors with mapError', async () => {
      // Prepare
      class OrderNotFound extends Error {}
      const mapError = jest.fn((error: unknown) =>
        error instanceof OrderNotFound ? notFound(error.message) : undefined,
      );
      const domainError = new OrderNotFound('order 7 does not exist');

      // Act
      const response = await throwing(domainError, { mapError })(
        signedInEvent({ path: '/orders/7' }),
        fakeContext(),
      );

      // Assess
      expect(mapError).toHaveBeenCalledWith(domainError);
      expect(response.statusCode).toBe(404);
      expect(problemOf(response)).toMatchObject({ detail: 'order 7 does not exist' });
    });

    it('does not ask mapError about HttpErrors', async () => {
      const mapError = jest.fn(() => new HttpError(409, 'Conflict', 'mapped'));

      const response = await throwing(notFound('x'), { mapError })(signedInEvent(), fakeContext());

      expect(response.statusCode).toBe(404);
      expect(mapError).not.toHaveBeenCalled();
    });

    it('answers 500 when mapError does not recognise the error', async () => {
      const mapError = jest.fn(() => undefined);

      const response = await throwing(new Error('db password is hunter2'), { mapError })(
        signedInEvent(),
        fakeContext(),
      );

      expect(mapError).toHaveBeenCalledTimes(1);
      expect(response.statusCode).toBe(500);
    });

    it.each([
      ['an Error', new Error('connect ECONNREFUSED 10.0.0.12:5432 user=admin')],
      ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'secret')")],
      ['a thrown string', 'secret string'],
      ['a thrown object', { secret: 'token-xyz' }],
      ['undefined', undefined],
    ])('answers 500 to %s without leaking anything', async (_case, thrown) => {
      // Act
      const response = await throwing(thrown)(signedInEvent(), fakeContext());

      // Assess
      expect(response.statusCode).toBe(500);
      expect(response.headers?.['Content-Type']).toBe('application/problem+json; charset=utf-8');
      expect(problemOf(response)).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
      });
      expect(response.body).not.toMatch(/ECONNREFUSED|secret|token|admin|stack/);
    });

    it('never rejects, so Lambda does not report a failed invocation', async () => {
      await expect(
        throwing(new Error('boom')).lambdaHandler(signedInEvent(), fakeContext()),
      ).resolves.toMatchObject({ statusCode: 500 });
    });
  });

  describe('access', () => {
    const ADMIN_ONLY = 'this operation is for shop administrators (the "admin" group)';

    it.each([
      ['signedIn (the default)', {}],
      ['signedIn', { access: 'signedIn' as const }],
      ['admin', { access: 'admin' as const }],
    ])(
      'answers a %s route without claims with 401, WWW-Authenticate: Bearer and no route call',
      async (_case, options) => {
        // Prepare
        const { route } = recordingRoute();

        // Act
        const response = await httpHandler(route, options)(
          apiGatewayEvent({ path: '/orders', headers: { 'X-Correlation-Id': 'corr-401' } }),
          fakeContext(),
        );

        // Assess
        expect(response.statusCode).toBe(401);
        expect(response.headers).toEqual({
          'X-Correlation-Id': 'corr-401',
          'Content-Type': 'application/problem+json; charset=utf-8',
          'WWW-Authenticate': 'Bearer',
        });
        expect(problemOf(response)).toEqual({
          type: 'about:blank',
          title: 'Unauthorized',
          status: 401,
          detail: 'sign in and send the token as "Authorization: Bearer <token>"',
        });
        expect(route).not.toHaveBeenCalled();
      },
    );

    it.each([
      ['no sub', { email: 'ada@example.com', email_verified: 'true' }],
      ['an empty sub', { ...customerClaims(), sub: '' }],
      ['a sub that is not a string', { ...customerClaims(), sub: 42 }],
    ])('answers 401 to claims with %s', async (_case, claims) => {
      const { route } = recordingRoute();

      const response = await httpHandler(route)(
        apiGatewayEvent({ path: '/orders', claims }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(401);
      expect(route).not.toHaveBeenCalled();
    });

    it('answers 401 before reading the body', async () => {
      const { route } = recordingRoute();

      const response = await httpHandler(route, { maxBodyBytes: 4 })(
        apiGatewayEvent({ method: 'POST', path: '/orders', body: 'not json, not small' }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(401);
    });

    it('gives a signedIn route the caller from the claims', async () => {
      // Prepare
      const { route, requests } = recordingRoute();

      // Act
      const response = await httpHandler(route)(
        apiGatewayEvent({ path: '/orders', claims: customerClaims('cust-7', 'grace@example.com') }),
        fakeContext(),
      );

      // Assess
      expect(response.statusCode).toBe(200);
      expect(requests[0]?.caller).toEqual({
        id: 'cust-7',
        verifiedEmail: 'grace@example.com',
        groups: [],
        isAdmin: false,
      });
    });

    it('lets an administrator call a signedIn route', async () => {
      const { route, requests } = recordingRoute();

      const response = await httpHandler(route)(
        apiGatewayEvent({ path: '/orders', claims: adminClaims() }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(200);
      expect(requests[0]?.caller).toMatchObject({ id: 'admin-1', isAdmin: true });
    });

    it('answers a customer on an admin route with 403 and does not call the route', async () => {
      // Prepare
      const { route } = recordingRoute();

      // Act
      const response = await httpHandler(route, { access: 'admin' })(
        apiGatewayEvent({ path: '/analytics/summary', claims: customerClaims() }),
        fakeContext(),
      );

      // Assess
      expect(response.statusCode).toBe(403);
      expect(response.headers?.['Content-Type']).toBe('application/problem+json; charset=utf-8');
      expect(response.headers).not.toHaveProperty('WWW-Authenticate');
      expect(problemOf(response)).toEqual({
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: ADMIN_ONLY,
      });
      expect(route).not.toHaveBeenCalled();
    });

    it('answers 403 to a member of other groups only', async () => {
      const { route } = recordingRoute();

      const response = await httpHandler(route, { access: 'admin' })(
        apiGatewayEvent({
          path: '/analytics/summary',
          claims: { ...customerClaims(), 'cognito:groups': '[sales administrators]' },
        }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(403);
      expect(route).not.toHaveBeenCalled();
    });

    it.each([
      ['as API Gateway sends them', adminClaims()],
      ['as JSON values (local cloud)', { ...adminClaims(), 'cognito:groups': ['admin'] }],
    ])('lets an administrator call an admin route, claims %s', async (_case, claims) => {
      // Prepare
      const { route, requests } = recordingRoute();

      // Act
      const response = await httpHandler(route, { access: 'admin' })(
        apiGatewayEvent({ path: '/analytics/summary', claims }),
        fakeContext(),
      );

      // Assess
      expect(response.statusCode).toBe(200);
      expect(route).toHaveBeenCalledTimes(1);
      expect(requests[0]?.caller).toEqual({
        id: 'admin-1',
        verifiedEmail: 'admin@example.com',
        groups: ['admin'],
        isAdmin: true,
      });
    });

    it('calls a public route without claims, with no caller', async () => {
      const { route, requests } = recordingRoute();

      const response = await httpHandler(route, { access: 'public' })(
        apiGatewayEvent({ path: '/products' }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(200);
      expect(route).toHaveBeenCalledTimes(1);
      expect(requests[0]?.caller).toBeUndefined();
    });

    it('gives a public route the caller when verified claims come along', async () => {
      const { route, requests } = recordingRoute();

      const response = await httpHandler(route, { access: 'public' })(
        apiGatewayEvent({ path: '/products', claims: customerClaims() }),
        fakeContext(),
      );

      expect(response.statusCode).toBe(200);
      expect(requests[0]?.caller).toMatchObject({ id: 'cust-42', isAdmin: false });
    });

    it('types the caller as possibly undefined on public routes only', () => {
      // Compile-time checks: tsc type-checks the tests.
      const signedIn = httpHandler(async (request) => json(200, idOf(request.caller)));
      const admin = httpHandler(async (request) => json(200, idOf(request.caller)), {
        access: 'admin',
      });
      const open = httpHandler(
        // @ts-expect-error a public route may have no caller
        async (request) => json(200, idOf(request.caller)),
        { access: 'public' },
      );

      expect([signedIn, admin, open].every((handler) => typeof handler === 'function')).toBe(true);
    });
  });
});

const idOf = (caller: Caller) => caller.id;
