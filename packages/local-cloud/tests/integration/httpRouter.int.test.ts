import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpRoute, type HttpRouter, startHttpRouter } from '../../src/gateway/httpRouter';
import type { JwtAuthorizer, JwtCheck } from '../../src/gateway/jwtAuthorizer';
import { LOCAL_HOST } from '../../src/net';
import { UsageRecorder } from '../../src/usage';

// The base URL as a server: what it forwards, refuses and serves itself, in front of a fake
// service on 127.0.0.1 that echoes what reached it.

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool';
const GOOD_TOKEN = 'Bearer good';

let service: Server;
let servicePort: number;
let router: HttpRouter;
let usage: UsageRecorder;
const refused: { method: string; path: string; status: number; reason: string }[] = [];
const controlled: string[] = [];

/** Accepts only `Bearer good`, as a JwtAuthorizer would a valid token. */
const fakeAuthorizer = {
  check: async (header: string | undefined): Promise<JwtCheck> =>
    header === GOOD_TOKEN
      ? { ok: true, claims: { sub: 'ada' } }
      : { ok: false, reason: 'signature invalid', challenge: 'Bearer error="invalid_token"' },
} as unknown as JwtAuthorizer;

beforeAll(async () => {
  service = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body }));
    });
  });
  await new Promise<void>((resolve) => service.listen(0, LOCAL_HOST, resolve));
  servicePort = (service.address() as AddressInfo).port;

  const authorizer = { issuer: ISSUER, audience: ['client-1'], header: 'authorization' };
  const routes: HttpRoute[] = [
    { method: 'GET', path: '/products', service: 'inventory', port: servicePort },
    { method: 'POST', path: '/orders', service: 'order', port: servicePort, authorizer },
    {
      method: 'GET',
      path: '/limited',
      service: 'order',
      port: servicePort,
      throttle: { rateLimit: 0.001, burstLimit: 2 },
    },
  ];
  usage = new UsageRecorder();
  router = await startHttpRouter(
    0,
    routes,
    async (name, action) => {
      controlled.push(`${action} ${name}`);
      return { status: 200, body: { service: name, action } };
    },
    async (baseUrl) => ({ openapi: '3.0.3', servers: [{ url: baseUrl }] }),
    { jwtAuthorizer: fakeAuthorizer, onRefused: (refusal) => refused.push(refusal), usage },
  );
});

afterAll(async () => {
  await router?.stop();
  await new Promise((resolve) => service?.close(resolve));
});

describe('Function: startHttpRouter', () => {
  it('listens on 127.0.0.1 on the port it was given (0: a free one)', () => {
    expect(router.url).toBe(`http://${LOCAL_HOST}:${router.port}`);
    expect(router.port).toBeGreaterThan(0);
  });

  it('forwards a public route with its query and body to the owning service', async () => {
    // Act
    const answer = await fetch(`${router.url}/products?limit=2`);

    // Assess
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ method: 'GET', url: '/products?limit=2', body: '' });
  });

  it('forwards a route with a JWT authorizer once the token passes, body included', async () => {
    // Act
    const answer = await fetch(`${router.url}/orders`, {
      method: 'POST',
      headers: { Authorization: GOOD_TOKEN, 'Content-Type': 'application/json' },
      body: '{"lines":[]}',
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ method: 'POST', url: '/orders', body: '{"lines":[]}' });
  });

  it('answers 401 with the challenge when the token fails, and tells the live view', async () => {
    // Act
    const answer = await fetch(`${router.url}/orders`, {
      method: 'POST',
      headers: { Authorization: 'Bearer forged' },
      body: '{}',
    });

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await answer.json()).toEqual({ message: 'Unauthorized' });
    expect(refused).toContainEqual({
      method: 'POST',
      path: '/orders',
      status: 401,
      reason: 'signature invalid',
    });
  });

  it('answers a CORS preflight without asking for a token', async () => {
    // Act
    const answer = await fetch(`${router.url}/orders`, { method: 'OPTIONS' });

    // Assess
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ method: 'OPTIONS', url: '/orders' });
  });

  it('answers 429 once a route has used its burst, before the service sees it', async () => {
    // Act: the burst is 2 and the bucket refills one token in 1000 s
    const statuses: number[] = [];
    for (const _ of [1, 2, 3]) statuses.push((await fetch(`${router.url}/limited`)).status);

    // Assess
    expect(statuses).toEqual([200, 200, 429]);
    expect(refused).toContainEqual(
      expect.objectContaining({ path: '/limited', status: 429, reason: 'throttled' }),
    );
  });

  it('answers 404 with a problem document for a path or method no service routes', async () => {
    // Act
    const unknownPath = await fetch(`${router.url}/nowhere`);
    const unknownMethod = await fetch(`${router.url}/products`, { method: 'DELETE' });

    // Assess
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await unknownPath.json()).toMatchObject({
      status: 404,
      detail: 'no service has a route for GET /nowhere; see /openapi.json',
    });
    expect(unknownMethod.status).toBe(404);
  });

  it('serves the OpenAPI document with the base URL the client used', async () => {
    // Act
    const document = await (await fetch(`${router.url}/openapi.json`)).json();

    // Assess
    expect(document).toEqual({ openapi: '3.0.3', servers: [{ url: router.url }] });
  });

  it('stops and starts a service for loopback callers, and refuses a cross-site caller', async () => {
    // Act
    const stopped = await fetch(`${router.url}/_local/services/order/stop`, { method: 'POST' });
    const crossSite = await fetch(`${router.url}/_local/services/order/start`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
    });

    // Assess
    expect(stopped.status).toBe(200);
    expect(await stopped.json()).toEqual({ service: 'order', action: 'stop' });
    expect(crossSite.status).toBe(403);
    expect(controlled).toEqual(['stop order']);
  });

  it('bills only the requests it forwarded, not the ones it refused', async () => {
    // Prepare
    usage.reset();

    // Act
    await fetch(`${router.url}/products`);
    await fetch(`${router.url}/orders`, { method: 'POST', headers: { Authorization: GOOD_TOKEN } });
    await fetch(`${router.url}/orders`, { method: 'POST', headers: { Authorization: 'Bearer x' } });
    await fetch(`${router.url}/nowhere`);

    // Assess
    expect(usage.snapshot().apiGateway.byRoute).toEqual({ 'GET /products': 1, 'POST /orders': 1 });
  });
});
