import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { JwtAuthorizer, localJwksUrl } from '../../src/gateway/jwtAuthorizer';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1';
const CLIENT_ID = 'a1b2c3d4e5f6g7h8i9j0k1l2m3';
const config = { issuer: ISSUER, audience: [CLIENT_ID], header: 'authorization' };

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

describe('Class: JwtAuthorizer', () => {
  let server: Server;
  let jwksUrl: URL;
  let poolKey: KeyPair;
  let otherKey: KeyPair;
  let publicJwk: JWK;

  beforeAll(async () => {
    poolKey = await generateKeyPair('RS256', { extractable: true });
    otherKey = await generateKeyPair('RS256', { extractable: true });
    publicJwk = { ...(await exportJWK(poolKey.publicKey)), kid: 'pool-key', alg: 'RS256' };
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const authorizer = () => new JwtAuthorizer((issuer) => (issuer === ISSUER ? jwksUrl : undefined));

  const idClaims = (overrides: JWTPayload = {}): JWTPayload => ({
    sub: '7d3c1a52-4f7e-4b8e-9a51-0c2f1e8b6d40',
    email: 'ada@example.com',
    email_verified: true,
    token_use: 'id',
    ...overrides,
  });

  async function sign(
    claims: JWTPayload,
    options: {
      key?: KeyPair['privateKey'];
      kid?: string;
      issuer?: string;
      audience?: string;
      expiresIn?: string | number;
      notBefore?: string | number;
    } = {},
  ): Promise<string> {
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'pool-key' })
      .setIssuer(options.issuer ?? ISSUER)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h');
    if (options.audience !== '') jwt = jwt.setAudience(options.audience ?? CLIENT_ID);
    if (options.notBefore !== undefined) jwt = jwt.setNotBefore(options.notBefore);
    return jwt.sign(options.key ?? poolKey.privateKey);
  }

  it('accepts an ID token of the pool and returns its claims', async () => {
    // Act
    const result = await authorizer().check(`Bearer ${await sign(idClaims())}`, config);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      claims: { email: 'ada@example.com', aud: CLIENT_ID },
    });
  });

  it('accepts an access token whose client_id is the audience, and a bare token', async () => {
    // Prepare
    const token = await sign(
      { sub: 'x', token_use: 'access', client_id: CLIENT_ID },
      { audience: '' },
    );

    // Act
    const result = await authorizer().check(token, config);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('refuses a missing token with a plain Bearer challenge', async () => {
    // Act
    const result = await authorizer().check(undefined, config);

    // Assess
    expect(result).toEqual({
      ok: false,
      challenge: 'Bearer',
      reason: 'no token in the Authorization header',
    });
  });

  const refused: [string, () => Promise<string>, RegExp][] = [
    [
      'signed by another key with the pool key id',
      () => sign(idClaims(), { key: otherKey.privateKey }),
      /signature/,
    ],
    [
      'signed by another key with an unknown key id',
      () => sign(idClaims(), { key: otherKey.privateKey, kid: 'attacker' }),
      /not signed by the issuer/,
    ],
    [
      'unsigned (alg: none)',
      async () =>
        new UnsecuredJWT(idClaims())
          .setIssuer(ISSUER)
          .setAudience(CLIENT_ID)
          .setExpirationTime('1h')
          .encode(),
      /RS256|malformed/,
    ],
    [
      'HS256 with the public key as the secret',
      async () => {
        const secret = new TextEncoder().encode(await exportSPKI(poolKey.publicKey));
        return new SignJWT(idClaims())
          .setProtectedHeader({ alg: 'HS256', kid: 'pool-key' })
          .setIssuer(ISSUER)
          .setAudience(CLIENT_ID)
          .setExpirationTime('1h')
          .sign(secret);
      },
      /RS256/,
    ],
    [
      'with a tampered payload',
      async () => {
        const [header, , signature] = (await sign(idClaims())).split('.');
        const forged = Buffer.from(
          JSON.stringify({
            ...idClaims({ 'cognito:groups': ['admin'] }),
            iss: ISSUER,
            aud: CLIENT_ID,
            exp: 9_999_999_999,
          }),
        ).toString('base64url');
        return `${header}.${forged}.${signature}`;
      },
      /signature/,
    ],
    [
      'expired',
      () => sign(idClaims(), { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      /expired/,
    ],
    ['not valid yet', () => sign(idClaims(), { notBefore: '10m' }), /not valid yet/],
    ['for another audience', () => sign(idClaims(), { audience: 'another-client' }), /audience/],
    [
      'from another issuer',
      () =>
        sign(idClaims(), { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }),
      /issuer/,
    ],
    ['malformed', async () => 'not.a.jwt', /malformed/],
  ];

  it.each(refused)(
    'refuses a token %s with an invalid_token challenge',
    async (_name, make, reason) => {
      // Act
      const result = await authorizer().check(`Bearer ${await make()}`, config);

      // Assess
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toMatch(reason);
      expect(result.challenge).toMatch(/^Bearer error="invalid_token", error_description="/);
    },
  );

  it('refuses every token of an issuer whose keys are not known locally', async () => {
    // Act
    const result = await new JwtAuthorizer(() => undefined).check(
      `Bearer ${await sign(idClaims())}`,
      config,
    );

    // Assess
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/no keys/) });
  });
});

describe('Function: localJwksUrl', () => {
  it('serves a Cognito issuer’s keys from the local AWS endpoint, under the pool id', () => {
    expect(localJwksUrl(ISSUER, 'http://127.0.0.1:4566')?.href).toBe(
      'http://127.0.0.1:4566/eu-west-1_TestPool1/.well-known/jwks.json',
    );
  });

  it('knows no keys for other issuers', () => {
    expect(localJwksUrl('https://login.example.com/', 'http://127.0.0.1:4566')).toBeUndefined();
  });
});
