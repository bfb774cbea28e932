import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { notAuthorized } from './errors';
import {
  type AppClient,
  type Authentication,
  groupsOf,
  STANDARD_ATTRIBUTES,
  type User,
  type UserPool,
} from './state';

// Signing keys and the RS256 tokens of a pool, with Cognito's claims and issuer.
/**
 * The `iss` claim of a pool's tokens, the same string as on AWS: the region is the pool id's prefix.
 *
 * @example
 * issuerOf('eu-west-1_AbCdEfGhI'); // 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI'
 */
export function issuerOf(userPoolId: string): string {
  const region = userPoolId.split('_')[0];
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** What the ID token says of the user's attributes: `*_verified` as booleans, as Cognito does. */
export function attributeClaims(attributes: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      STANDARD_ATTRIBUTES[name] === 'Boolean'
        ? value === 'true'
        : STANDARD_ATTRIBUTES[name] === 'Number'
          ? Number(value)
          : value,
    ]),
  );
}

export async function signingKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' },
  };
}

/**
 * A fresh ID and access token for a user signed in through a client, with Cognito's claims:
 * groups and their roles, the user's attributes (ID token), and the ids of the sign-in they
 * descend from, which refreshed tokens keep.
 */
export async function signTokens(
  pool: UserPool,
  client: AppClient,
  user: User,
  signIn: Authentication,
  now: number,
): Promise<{ AccessToken: string; ExpiresIn: number; TokenType: string; IdToken: string }> {
  const groups = groupsOf(pool, user);
  const groupClaims =
    groups.length > 0 ? { 'cognito:groups': groups.map((group) => group.name) } : {};
  const roles = groups.filter((group) => group.roleArn);
  const roleClaims =
    roles.length > 0
      ? {
          'cognito:preferred_role': roles[0]?.roleArn,
          'cognito:roles': roles.map((group) => group.roleArn),
        }
      : {};
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ kid: pool.key.kid, alg: 'RS256' })
      .sign(pool.key.privateKey);
  const { sub: _sub, ...attributes } = Object.fromEntries(user.attributes);
  const idToken = await sign({
    sub: user.sub,
    ...groupClaims,
    ...roleClaims,
    ...attributeClaims(attributes),
    iss: issuerOf(pool.id),
    'cognito:username': user.username,
    origin_jti: signIn.originJti,
    aud: client.id,
    event_id: signIn.eventId,
    token_use: 'id',
    auth_time: signIn.authTime,
    exp: now + client.idTokenSeconds,
    iat: now,
    jti: randomUUID(),
  });
  const accessToken = await sign({
    sub: user.sub,
    ...groupClaims,
    iss: issuerOf(pool.id),
    client_id: client.id,
    origin_jti: signIn.originJti,
    event_id: signIn.eventId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: signIn.authTime,
    exp: now + client.accessTokenSeconds,
    iat: now,
    jti: randomUUID(),
    username: user.username,
  });
  return {
    AccessToken: accessToken,
    ExpiresIn: client.accessTokenSeconds,
    TokenType: 'Bearer',
    IdToken: idToken,
  };
}

/** The pool id a token's issuer names, unverified: which pool's key to verify it with. */
export function poolIdOfToken(token: string): string | undefined {
  try {
    return String(decodeJwt(token).iss ?? '')
      .split('/')
      .at(-1);
  } catch {
    return undefined;
  }
}

/** The username of a valid access token of the pool; Cognito's NotAuthorized errors otherwise. */
export async function accessTokenUsername(pool: UserPool, token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, pool.key.publicKey, {
      issuer: issuerOf(pool.id),
      algorithms: ['RS256'],
    });
    if (payload.token_use !== 'access') throw new Error('not an access token');
    return String(payload.username);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED')
      throw notAuthorized('Access Token has expired');
    throw notAuthorized('Invalid Access Token');
  }
}
