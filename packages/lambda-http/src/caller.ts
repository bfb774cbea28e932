/**
 * Who is calling: read from the claims the HTTP API's JWT authorizer verified (Cognito ID or
 * access token), never from the request body.
 */
export interface Caller {
  /** The token's `sub`: the customer's id everywhere in the shop. */
  id: string;
  /** The token's `email`, only when `email_verified` is true (ID tokens carry it; access tokens do not). */
  verifiedEmail?: string;
  /** `cognito:groups`. */
  groups: string[];
  /** Member of the `admin` group. */
  isAdmin: boolean;
}

/** Who may call a route: anyone, any signed-in user, or members of the `admin` group. */
export type Access = 'public' | 'signedIn' | 'admin';

/**
 * The Cognito group whose members are administrators: the identity stack creates it under this
 * name (services/identity/serverless.yml), and the local cloud signs administrators into it.
 */
export const ADMIN_GROUP = 'admin';

type Claims = Record<string, unknown>;

/**
 * The caller from API Gateway's `requestContext.authorizer.jwt.claims`; undefined without claims.
 *
 * API Gateway (HTTP API) hands claims over as strings: `email_verified` is `"true"` and an array
 * claim such as `cognito:groups` becomes `"[admin sales]"`. Locally they arrive as JSON values.
 * Both forms are read.
 *
 * @example
 * ```ts
 * callerFromClaims({ sub: 'c0ffee', email: 'ada@example.com', email_verified: 'true',
 *   'cognito:groups': '[admin]' });
 * // → { id: 'c0ffee', verifiedEmail: 'ada@example.com', groups: ['admin'], isAdmin: true }
 * ```
 */
export function callerFromClaims(claims: Claims | undefined): Caller | undefined {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  const groups = groupsOf(claims?.['cognito:groups']);
  const email = claims?.email;
  const verified = claims?.email_verified === true || claims?.email_verified === 'true';
  return {
    id: sub,
    ...(typeof email === 'string' && email !== '' && verified ? { verifiedEmail: email } : {}),
    groups,
    isAdmin: groups.includes(ADMIN_GROUP),
  };
}

function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value !== 'string' || value.trim() === '') return [];
  const text = value.trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter(Boolean);
}
