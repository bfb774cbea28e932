import type { ConsoleConfig } from './api';
import { ProblemError, problemOf } from './problem';

/** Who is signed in, from the claims of their ID token. */
export interface Session {
  idToken: string;
  email: string;
  groups: string[];
  admin: boolean;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const STORAGE_KEY = 'shop-console.idToken';

/**
 * The session an ID token stands for. Its claims are read, not verified: the page only uses them
 * to choose what to show; every route checks the token itself.
 *
 * @example
 * sessionOf(idToken).admin; // true for members of the admin group
 */
export function sessionOf(idToken: string): Session {
  const payload = idToken.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  const groups = Array.isArray(claims['cognito:groups'])
    ? (claims['cognito:groups'] as unknown[]).map(String)
    : [];
  return {
    idToken,
    email: String(claims.email ?? claims['cognito:username'] ?? ''),
    groups,
    admin: groups.includes('admin'),
    expiresAt: Number(claims.exp ?? 0) * 1000,
  };
}

/**
 * Signs in with email and password the way a client app does: Cognito's `InitiateAuth` with
 * `USER_PASSWORD_AUTH` and the app client id, sent unchanged through the console's route (the
 * AWS endpoint is another origin and serves no browser).
 *
 * @throws ProblemError with Cognito's error (`NotAuthorizedException`…) as a problem.
 */
export async function signIn(config: ConsoleConfig, email: string, password: string) {
  if (!config.userPool) {
    throw new ProblemError({
      status: 503,
      title: 'No user pool',
      detail: 'the local cloud runs without the identity stack',
    });
  }
  const response = await fetch('api/sign-in', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: config.userPool.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  });
  if (!response.ok) throw new ProblemError(await problemOf(response));
  const answer = (await response.json()) as {
    AuthenticationResult?: { IdToken?: string };
    ChallengeName?: string;
  };
  const idToken = answer.AuthenticationResult?.IdToken;
  if (!idToken) {
    throw new ProblemError({
      status: 409,
      title: 'Sign-in not finished',
      detail: answer.ChallengeName
        ? `Cognito asks for ${answer.ChallengeName}, which the console does not handle; set a permanent password with pnpm -s run token ${email}`
        : 'Cognito returned no ID token',
    });
  }
  const session = sessionOf(idToken);
  // Per tab: a reload keeps you signed in, closing the tab signs you out.
  sessionStorage.setItem(STORAGE_KEY, idToken);
  return session;
}

/** The session kept in this tab, unless it expired. */
export function restoreSession(): Session | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return undefined;
  try {
    const session = sessionOf(token);
    if (session.expiresAt > Date.now()) return session;
  } catch {
    // A token that does not parse is as good as none.
  }
  sessionStorage.removeItem(STORAGE_KEY);
  return undefined;
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
