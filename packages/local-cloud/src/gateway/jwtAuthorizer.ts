import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';

/** An HTTP API JWT authorizer as the template declares it, with its intrinsics resolved. */
export interface JwtAuthorizerConfig {
  /** The `iss` a token must carry. */
  issuer: string;
  /** A token's `aud` (ID tokens) or `client_id` (access tokens) must be one of these. */
  audience: string[];
  /** Lower-cased name of the header holding the token (`$request.header.Authorization`). */
  header: string;
}

export type JwtCheck =
  | { ok: true; claims: JWTPayload }
  /** `challenge` is the `WWW-Authenticate` value; `reason` says why, for the logs. */
  | { ok: false; challenge: string; reason: string };

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([\w-]+)$/;

/**
 * Where the local cloud serves the keys of an issuer: Cognito pools emulated behind the AWS
 * endpoint publish theirs at `<endpoint>/<poolId>/.well-known/jwks.json`, as AWS does under the
 * issuer. Other issuers are unknown locally.
 */
export function localJwksUrl(issuer: string, awsEndpoint: string): URL | undefined {
  const poolId = COGNITO_ISSUER.exec(issuer)?.[1];
  return poolId ? new URL(`/${poolId}/.well-known/jwks.json`, awsEndpoint) : undefined;
}

/**
 * Checks bearer tokens the way API Gateway's JWT authorizer does: an RS256 signature by a key of
 * the issuer's JWKS (so `alg: none`, HMAC tokens and foreign keys fail), the issuer, the audience
 * (`aud` or `client_id`), `exp` and `nbf`. serverless-offline only decodes tokens; this is the
 * check that makes local requests fail where they would fail on AWS.
 */
export class JwtAuthorizer {
  readonly #keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(private readonly jwksUrlFor: (issuer: string) => URL | undefined) {}

  async check(headerValue: string | undefined, config: JwtAuthorizerConfig): Promise<JwtCheck> {
    const token = bearerToken(headerValue);
    if (!token) return refuse('no token in the Authorization header');
    const keySet = this.#keySetFor(config.issuer);
    if (!keySet) return refuse(`no keys are known locally for issuer ${config.issuer}`);
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keySet, {
        issuer: config.issuer,
        algorithms: ['RS256'],
      }));
    } catch (error) {
      return refuse(describe(error));
    }
    const audiences = [
      ...(Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : []),
      ...(typeof claims.client_id === 'string' ? [claims.client_id] : []),
    ];
    if (!audiences.some((audience) => config.audience.includes(audience))) {
      return refuse('the token does not have a valid audience');
    }
    return { ok: true, claims };
  }

  #keySetFor(issuer: string) {
    let keySet = this.#keySets.get(issuer);
    if (!keySet) {
      const url = this.jwksUrlFor(issuer);
      if (!url) return undefined;
      // Fetched on first use and again for an unknown `kid`, like any JWKS client.
      keySet = createRemoteJWKSet(url, { cooldownDuration: 1000 });
      this.#keySets.set(issuer, keySet);
    }
    return keySet;
  }
}

/** `Bearer <token>` or the bare token, as API Gateway accepts both. */
function bearerToken(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(text);
  return (match ? match[1] : text)?.trim() || undefined;
}

function refuse(reason: string): JwtCheck {
  return {
    ok: false,
    reason,
    challenge:
      reason === 'no token in the Authorization header'
        ? 'Bearer'
        : `Bearer error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`,
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'the token does not have a valid issuer';
    if (error.claim === 'nbf') return 'the token is not valid yet';
    return `the token's ${error.claim} claim is invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with RS256';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is not signed by the issuer';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'the token is malformed';
  return `the token could not be verified (${(error as Error).message})`;
}
