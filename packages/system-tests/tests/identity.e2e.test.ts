import { execFile } from 'node:child_process';
import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { findUserPool, pollUntil, signIn } from '@shop/local-cloud';
import { customer, eur, type Json, useLocalCloud } from './helpers';

// Who may call what, through the base URL exactly as a client calls it: every protected route
// refuses anonymous and forged tokens with 401, customers see only their own orders, admin routes
// answer customers 403, the catalog is administered under optimistic concurrency, and a burst above
// the stage's throttling gets 429s, never a 5xx.

jest.setTimeout(300_000);

const local = useLocalCloud('identity-bus-tap');

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims of a real token, decoded (not verified). */
const claimsOf = (token: string): Json =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));

async function call(method: string, path: string, token?: string, body?: unknown) {
  return fetch(`${local.cloud.baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** A response body, to be asserted field by field. */
const bodyOf = async (response: Response): Promise<Json> => response.json();

const espresso = [{ productId: 'prod-espresso-beans', quantity: 1, unitPrice: eur(1450) }];

describe('Every protected route refuses callers without a valid token', () => {
  it('answers 401 with WWW-Authenticate: Bearer to anonymous calls of every operation the OpenAPI document secures', async () => {
    // Prepare
    const document = (await (await fetch(`${local.cloud.baseUrl}/openapi.json`)).json()) as Json;
    const operations = Object.entries(document.paths as Record<string, Json>).flatMap(
      ([path, item]) =>
        Object.entries(item as Record<string, Json>)
          .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
          .map(([method, operation]) => ({
            method: method.toUpperCase(),
            path: path.replace(/\{[^}]+\}/g, 'some-id'),
            secured: (operation.security ?? document.security ?? []).length > 0,
          })),
    );
    const secured = operations.filter((operation) => operation.secured);
    expect(secured.length).toBeGreaterThanOrEqual(8);

    // Act
    const answers = await Promise.all(
      [...secured, { method: 'DELETE', path: '/orders/some-id' }].map(async ({ method, path }) => {
        const response = await call(method, path, undefined, method === 'GET' ? undefined : {});
        return {
          route: `${method} ${path}`,
          status: response.status,
          challenge: response.headers.get('www-authenticate')?.split(' ')[0],
          body: await bodyOf(response),
        };
      }),
    );

    // Assess
    for (const answer of answers) {
      expect(answer).toEqual({
        route: answer.route,
        status: 401,
        challenge: 'Bearer',
        body: { message: 'Unauthorized' },
      });
    }
    // The public catalog reads stay open.
    expect(operations.filter((o) => !o.secured).map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['GET /products', 'GET /products/some-id']),
    );
    expect((await call('GET', '/products')).status).toBe(200);
  });

  it('refuses forged tokens: another key, alg none, HS256 with the public key, a tampered payload, another audience', async () => {
    // Prepare: a real token to imitate, and the pool's public key as anyone can fetch it.
    const real = await local.shop.identity.token(customer('forger'));
    const [header, , signature] = real.split('.') as [string, string, string];
    const claims = claimsOf(real);
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    const poolId = String(claims.iss).split('/').at(-1);
    const jwks = (await (
      await fetch(`${local.cloud.awsEndpoint}/${poolId}/.well-known/jwks.json`)
    ).json()) as Json;
    const publicPem = createPublicKey({ key: jwks.keys[0], format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const admin = { ...claims, 'cognito:groups': ['admin'] };

    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = (payload: Json) => {
      const input = `${b64url({ alg: 'RS256', kid, typ: 'JWT' })}.${b64url(payload)}`;
      return `${input}.${sign('sha256', Buffer.from(input), attacker.privateKey).toString('base64url')}`;
    };
    const hs256 = (payload: Json) => {
      const input = `${b64url({ alg: 'HS256', kid, typ: 'JWT' })}.${b64url(payload)}`;
      return `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`;
    };
    const pool = await findUserPool(local.cloud.awsEndpoint, local.cloud.region, local.cloud.stage);
    const cognito = new CognitoIdentityProviderClient({
      endpoint: local.cloud.awsEndpoint,
      region: local.cloud.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.userPoolId,
        ClientName: 'another-app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const otherAudience = await signIn(
      { ...pool, clientId: UserPoolClient?.ClientId as string },
      'ada@example.com',
      'Ada-Lovelace-1815',
    );

    const forged: Record<string, string> = {
      'signed by another key': rs256(admin),
      'alg none': `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(admin)}.`,
      'HS256 with the public key as secret': hs256(admin),
      'tampered payload': `${header}.${b64url(admin)}.${signature}`,
      'another audience': otherAudience.idToken,
      'not a JWT': 'not-a-token',
    };

    // Act
    const answers = Object.fromEntries(
      await Promise.all(
        Object.entries(forged).map(async ([name, token]) => {
          const response = await call('GET', '/analytics/summary', token);
          return [name, `${response.status} ${response.headers.get('www-authenticate')}`] as const;
        }),
      ),
    );

    // Assess
    for (const [name, answer] of Object.entries(answers)) {
      expect({ name, answer }).toEqual({
        name,
        answer: expect.stringMatching(/^401 Bearer error="invalid_token"/),
      });
    }
    // The real token itself is fine (it is a customer's: 403, not 401).
    expect((await call('GET', '/analytics/summary', real)).status).toBe(403);
  });
});

describe('Orders belong to the caller', () => {
  it('takes the customer from the token, never from the body', async () => {
    // Prepare
    const ada = customer('ada');
    const token = await local.shop.identity.token(ada);

    // Act
    const naming = await call('POST', '/orders', token, {
      customerId: 'someone-else',
      customerEmail: 'victim@example.com',
      lines: espresso,
      paymentToken: 'tok_sandbox_success',
    });
    const placed = await call('POST', '/orders', token, {
      lines: espresso,
      paymentToken: 'tok_sandbox_success',
    });

    // Assess
    expect(naming.status).toBe(400);
    expect((await bodyOf(naming)).issues.map((i: Json) => i.path).sort()).toEqual([
      'customerEmail',
      'customerId',
    ]);
    expect(placed.status).toBe(201);
    const order = await bodyOf(placed);
    expect(order).toMatchObject({ customerId: claimsOf(token).sub, customerEmail: ada });
  });

  it('lets customer B neither see, list nor read A’s orders, exactly as if they did not exist', async () => {
    // Prepare
    const a = customer('owner');
    const b = customer('other');
    const order = await local.shop.placeOrder(a, espresso);
    const tokenA = await local.shop.identity.token(a);
    const tokenB = await local.shop.identity.token(b);

    // Act
    const byOwner = await call('GET', `/orders/${order.orderId}`, tokenA);
    const byOther = await call('GET', `/orders/${order.orderId}`, tokenB);
    const missing = await call('GET', '/orders/00000000-0000-4000-8000-000000000000', tokenB);
    const listOfB = await bodyOf(await call('GET', '/orders', tokenB));
    const listOfA = await bodyOf(await call('GET', '/orders', tokenA));
    const bNamingA = await call('GET', `/orders?customerId=${claimsOf(tokenA).sub}`, tokenB);
    const adminReads = await call(
      'GET',
      `/orders/${order.orderId}`,
      await local.shop.identity.adminToken(),
    );

    // Assess
    expect(byOwner.status).toBe(200);
    expect(byOther.status).toBe(404);
    const otherBody = await bodyOf(byOther);
    const missingBody = await bodyOf(missing);
    expect(otherBody.title).toBe(missingBody.title);
    expect(otherBody.detail.replace(order.orderId, 'ID')).toBe(
      missingBody.detail.replace('00000000-0000-4000-8000-000000000000', 'ID'),
    );
    expect(listOfB.items).toEqual([]);
    expect(listOfA.items.map((o: Json) => o.orderId)).toEqual([order.orderId]);
    expect(bNamingA.status).toBe(400);
    expect(adminReads.status).toBe(200);
  });
});

describe('Administration', () => {
  it('answers customers 403 with a problem document on every admin route', async () => {
    // Prepare
    const token = await local.shop.identity.token(customer('curious'));
    const adminRoutes: [string, string, unknown?][] = [
      ['GET', '/analytics/summary'],
      ['POST', '/uploads', { fileName: 'a.png', contentType: 'image/png', contentLength: 10 }],
      ['POST', '/products', { productId: 'prod-x', name: 'X', price: eur(100) }],
      ['PATCH', '/products/prod-espresso-beans', { name: 'Cheap beans' }],
      ['POST', '/products/prod-espresso-beans/stock-adjustments', { delta: 5, reason: 'RESTOCK' }],
    ];

    // Act
    const answers = await Promise.all(
      adminRoutes.map(async ([method, path, body]) => {
        const response = await call(method, path, token, body);
        return {
          route: `${method} ${path}`,
          status: response.status,
          type: response.headers.get('content-type'),
          title: (await bodyOf(response)).title,
        };
      }),
    );

    // Assess
    for (const answer of answers) {
      expect(answer).toEqual({
        route: answer.route,
        status: 403,
        type: expect.stringContaining('application/problem+json'),
        title: 'Forbidden',
      });
    }
  });

  it('restocks under If-Match: InventoryUpdated with the reason reaches analytics; a stale write gets 412', async () => {
    // Prepare
    const admin = await local.shop.identity.adminToken();
    const product = await call('GET', '/products/prod-moka-pot');
    const etag = product.headers.get('etag') as string;
    const before = (await bodyOf(product)).stock;
    const adjust = (ifMatch: string | undefined, delta: number) =>
      fetch(`${local.cloud.baseUrl}/products/prod-moka-pot/stock-adjustments`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${admin}`,
          'Content-Type': 'application/json',
          ...(ifMatch ? { 'If-Match': ifMatch } : {}),
        },
        body: JSON.stringify({ delta, reason: 'RESTOCK', note: 'pallet from the roaster' }),
      });

    // Act
    const restocked = await adjust(etag, 7);
    const stale = await adjust(etag, 3);
    const unconditional = await adjust(undefined, 3);

    // Assess
    expect(restocked.status).toBe(200);
    expect((await bodyOf(restocked)).stock).toBe(before + 7);
    expect(restocked.headers.get('etag')).not.toBe(etag);
    expect(stale.status).toBe(412);
    expect(unconditional.status).toBe(428);
    const updates = await pollUntil(
      'InventoryUpdated of the restock on the bus',
      async () => {
        const events = (await local.bus.drain()).filter(
          (e: Json) =>
            e.eventType === 'InventoryUpdated' &&
            e.data.cause === 'RESTOCKED' &&
            e.data.changes.some((c: Json) => c.productId === 'prod-moka-pot' && c.delta === 7),
        );
        return events.length > 0 ? events : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(updates[0].data.note).toBe('pallet from the roaster');
    const summary = await pollUntil(
      'the restock in the analytics summary',
      async () => {
        const current = await local.shop.analyticsSummary();
        const moka = current.products?.find((p: Json) => p.productId === 'prod-moka-pot');
        return moka?.unitsRestocked >= 7 ? moka : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(summary.currentStock).toBe(before + 7);
  });
});

describe('Throttling', () => {
  it('answers a burst above the stage limit with 429s from the gateway and never a 5xx', async () => {
    // Prepare: bursts of more concurrent requests than the local stage's burst (stages.yml: 200)
    // on one route; anonymous, so those let through are refused by the authorizer without
    // invoking anything. A slow machine may spread a burst out, so up to three bursts are sent.
    const statuses: string[] = [];

    // Act
    for (let burst = 0; burst < 3 && !statuses.some((s) => s.startsWith('429')); burst++) {
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 450 }, async () => {
            const response = await call('GET', '/orders');
            const body = await bodyOf(response);
            return response.status === 429 ? `429 ${body.message}` : String(response.status);
          }),
        )),
      );
    }

    // Assess
    const counts = statuses.reduce<Record<string, number>>(
      (all, status) => Object.assign(all, { [status]: (all[status] ?? 0) + 1 }),
      {},
    );
    expect(Object.keys(counts).sort()).toEqual(['401', '429 Too Many Requests']);
    expect(counts['429 Too Many Requests']).toBeGreaterThan(0);
  });
});

describe('The AWS CLI against the emulated Cognito', () => {
  const aws = process.env.AWS_CLI ?? '/usr/bin/aws';
  const haveCli = existsSync(aws);
  if (!haveCli && process.env.CI) {
    it('needs the AWS CLI in CI', () => {
      throw new Error(`no AWS CLI at ${aws}: .ci/run installs Debian's awscli`);
    });
    return;
  }
  (haveCli ? it : it.skip)(
    'lists the user pools and clients and signs in with initiate-auth',
    async () => {
      // Prepare
      const run = async (...args: string[]) =>
        JSON.parse(
          (
            await promisify(execFile)(aws, ['--endpoint-url', local.cloud.awsEndpoint, ...args], {
              env: {
                ...process.env,
                AWS_ACCESS_KEY_ID: 'local',
                AWS_SECRET_ACCESS_KEY: 'local',
                AWS_DEFAULT_REGION: local.cloud.region,
                AWS_PAGER: '',
              },
            })
          ).stdout,
        );

      // Act
      const pools = await run('cognito-idp', 'list-user-pools', '--max-results', '10');
      const poolId = pools.UserPools.find(
        (p: Json) => p.Name === `shop-users-${local.cloud.stage}`,
      ).Id;
      const clients = await run('cognito-idp', 'list-user-pool-clients', '--user-pool-id', poolId);
      const clientId = clients.UserPoolClients[0].ClientId;
      const auth = await run(
        'cognito-idp',
        'initiate-auth',
        '--client-id',
        clientId,
        '--auth-flow',
        'USER_PASSWORD_AUTH',
        '--auth-parameters',
        'USERNAME=grace@example.com,PASSWORD=Grace-Hopper-1906',
      );

      // Assess
      expect(poolId).toBe(local.cloud.identity?.userPoolId);
      expect(clientId).toBe(local.cloud.identity?.clientId);
      const token = auth.AuthenticationResult.IdToken;
      expect(claimsOf(token).email).toBe('grace@example.com');
      const orders = await call('GET', '/orders', token);
      expect(orders.status).toBe(200);
    },
  );
});
