import { LiveTrails } from '../../../local-cloud/src/console/liveTrail';
import {
  createLocalConsole,
  type LocalConsole,
} from '../../../local-cloud/src/console/localConsole';
import { type HttpRouter, startHttpRouter } from '../../../local-cloud/src/gateway/httpRouter';
import { JwtAuthorizer } from '../../../local-cloud/src/gateway/jwtAuthorizer';
import { findRepoRoot } from '../../../local-cloud/src/services/workspace';

// The console's routes on the base URL, without a local cloud behind them: what the loopback
// guard lets through, the page and its bundle, and what the routes refuse before calling AWS.

let router: HttpRouter;
let localConsole: LocalConsole;

beforeAll(async () => {
  localConsole = createLocalConsole({
    repoRoot: findRepoRoot(),
    stage: 'local',
    region: 'eu-west-1',
    // Nothing listens there: these tests stop before any AWS call.
    awsEndpoint: 'http://127.0.0.1:9',
    mailViewerUrl: 'http://127.0.0.1:9',
    identity: {
      userPoolId: 'eu-west-1_Test',
      clientId: 'test-client',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test',
    },
    stacks: [],
    // Knows no keys: every token is refused, as a forged one would be.
    jwtAuthorizer: new JwtAuthorizer(() => undefined),
  });
  router = await startHttpRouter(
    0,
    [],
    async () => ({ status: 404, body: {} }),
    async () => ({}),
    { localConsole },
  );
});

afterAll(async () => {
  await localConsole.stop();
  await router.stop();
});

const get = (path: string, init: RequestInit = {}) =>
  fetch(`${router.url}${path}`, { redirect: 'manual', ...init });

describe('the console on the base URL', () => {
  it('serves its page to a same-origin browser request, under a content security policy', async () => {
    const answer = await get('/_local/console/', {
      headers: { Origin: router.url, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await answer.text()).toContain('<main id="main"');
  });

  it('refuses a page of another site, like every /_local route', async () => {
    const answer = await get('/_local/console/api/config', {
      headers: { Origin: 'https://evil.example.com', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(answer.status).toBe(403);
  });

  it('adds the trailing slash the page’s relative URLs need', async () => {
    const answer = await get('/_local/console');
    expect(answer.status).toBe(308);
    expect(answer.headers.get('location')).toBe('/_local/console/');
  });

  it('bundles its script on first request, quickly', async () => {
    const answer = await get('/_local/console/app.js');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await answer.text()).toContain('serverless-shop console');
    expect(localConsole.bundleMs()).toBeLessThan(5_000);
  });

  it('answers 401 with a problem for a token it cannot verify', async () => {
    for (const path of ['/_local/console/api/orders', '/_local/console/api/queues']) {
      const answer = await get(path, { headers: { Authorization: 'Bearer not.a.token' } });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await answer.json()).toMatchObject({ title: 'Unauthorized', status: 401 });
    }
  });

  it('forwards nothing but InitiateAuth to Cognito', async () => {
    const answer = await get('/_local/console/api/sign-in', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.AdminCreateUser',
      },
      body: '{}',
    });
    expect(answer.status).toBe(400);
    expect((await answer.json()).detail).toContain('InitiateAuth');
  });

  it('forwards uploads to presigned URLs of the local AWS endpoint only', async () => {
    const answer = await get(
      `/_local/console/api/presigned-put?url=${encodeURIComponent('https://example.com/b/k?X-Amz-Signature=x')}`,
      { method: 'PUT', body: 'x' },
    );
    expect(answer.status).toBe(400);
    expect((await answer.json()).issues).toEqual([
      { path: 'url', message: 'is not a presigned URL of the local AWS endpoint' },
    ]);
  });

  it('answers a method a route does not serve with 405 and Allow', async () => {
    const answer = await get('/_local/console/api/queues', { method: 'DELETE' });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET');
  });
});

describe('LiveTrails', () => {
  const line = (correlationId: string, message: string, timestamp: string) =>
    JSON.stringify({ level: 'INFO', message, timestamp, correlationId });

  it('keeps each flow’s lines, oldest first, and tells subscribers of new ones', () => {
    const trails = new LiveTrails();
    const heard: string[] = [];
    const unsubscribe = trails.subscribe('c-1', (entry) => heard.push(entry.message));
    trails.record('payment', line('c-1', 'charged', '2026-11-28T10:00:02.000Z'));
    trails.record('order', line('c-1', 'order placed', '2026-11-28T10:00:01.000Z'));
    trails.record('order', line('c-2', 'other flow', '2026-11-28T10:00:01.500Z'));
    trails.record('order', 'serverless-offline noise');
    unsubscribe();
    trails.record('order', line('c-1', 'after unsubscribe', '2026-11-28T10:00:03.000Z'));
    expect(trails.lines('c-1').map((entry) => [entry.service, entry.message])).toEqual([
      ['order', 'order placed'],
      ['payment', 'charged'],
      ['order', 'after unsubscribe'],
    ]);
    expect(heard).toEqual(['charged', 'order placed']);
  });

  it('forgets the flows seen first once it holds too many lines', () => {
    const trails = new LiveTrails(3);
    trails.record('order', line('old', 'a', '2026-11-28T10:00:00.000Z'));
    trails.record('order', line('old', 'b', '2026-11-28T10:00:00.001Z'));
    trails.record('order', line('new', 'c', '2026-11-28T10:00:00.002Z'));
    trails.record('order', line('new', 'd', '2026-11-28T10:00:00.003Z'));
    expect(trails.lines('old')).toEqual([]);
    expect(trails.lines('new')).toHaveLength(2);
  });
});
