import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  NotAuthorizedException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
// The group the APIs take administrators from, declared once by the HTTP edge. By path because
// local-cloud does not depend on @shop/lambda-http; caller.ts imports nothing, so nothing follows.
import { ADMIN_GROUP } from '../../../lambda-http/src/caller';

/** The shop's user pool and app client in a running local cloud. */
export interface LocalUserPool {
  userPoolId: string;
  clientId: string;
  client: CognitoIdentityProviderClient;
}

export interface SignedIn {
  /** Carries `email` and `cognito:groups`: what the shop's APIs read the caller from. */
  idToken: string;
  accessToken: string;
  refreshToken?: string;
}

/** A seeded user: `services/identity/seed/UserPool.json`. */
export interface SeedUser {
  email: string;
  password: string;
  groups?: string[];
}

export { ADMIN_GROUP };

/**
 * Finds the pool the identity stack provisioned (`shop-users-<stage>`) and its app client, through
 * the same Cognito API calls a client would make against AWS.
 */
export async function findUserPool(
  endpoint: string,
  region: string,
  stage: string,
): Promise<LocalUserPool> {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { UserPools = [] } = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  const pool = UserPools.find((p) => p.Name === `shop-users-${stage}`);
  if (!pool?.Id) throw new Error(`no user pool shop-users-${stage} at ${endpoint}`);
  const { UserPoolClients = [] } = await client.send(
    new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 60 }),
  );
  const appClient = UserPoolClients.find((c) => c.ClientName === `shop-app-${stage}`);
  if (!appClient?.ClientId) throw new Error(`no app client shop-app-${stage} in ${pool.Id}`);
  return { userPoolId: pool.Id, clientId: appClient.ClientId, client };
}

/** Signs in with email and password (USER_PASSWORD_AUTH), as an app does. */
export async function signIn(
  pool: LocalUserPool,
  email: string,
  password: string,
): Promise<SignedIn> {
  const { AuthenticationResult: result } = await pool.client.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  if (!result?.IdToken || !result.AccessToken) {
    throw new Error(`signing in ${email} gave no tokens (a challenge is pending?)`);
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
  };
}

/**
 * Makes sure a user exists with a known password (and in the admin group when asked), then signs
 * them in: what `pnpm run token` and the tests use. For the local cloud only: an existing user whose
 * password is not the one expected gets it set again.
 */
export async function ensureUserSignedIn(
  pool: LocalUserPool,
  user: { email: string; password: string; admin?: boolean },
): Promise<SignedIn> {
  try {
    await pool.client.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: user.email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
  }
  if (user.admin) {
    await pool.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: pool.userPoolId,
        Username: user.email,
        GroupName: ADMIN_GROUP,
      }),
    );
  }
  try {
    return await signIn(pool, user.email, user.password);
  } catch (error) {
    // A new user (temporary password) or one whose password was changed.
    if (!(error instanceof NotAuthorizedException) && !/challenge/.test(String(error))) throw error;
  }
  await pool.client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: pool.userPoolId,
      Username: user.email,
      Password: user.password,
      Permanent: true,
    }),
  );
  return signIn(pool, user.email, user.password);
}

/** The seeded users with their passwords (the README lists them). */
export function seedUsers(repoRoot: string): SeedUser[] {
  return JSON.parse(
    readFileSync(join(repoRoot, 'services', 'identity', 'seed', 'UserPool.json'), 'utf8'),
  ) as SeedUser[];
}

/**
 * `ada` → ada@example.com with her seeded password; an unknown name gets a password derived from
 * it, so the same name signs in again next time. An address is taken as it is.
 */
export function localUser(
  name: string,
  repoRoot: string,
): { email: string; password: string; admin: boolean } {
  const email = name.includes('@') ? name.toLowerCase() : `${name.toLowerCase()}@example.com`;
  const seeded = seedUsers(repoRoot).find((user) => user.email === email);
  if (seeded) {
    return {
      email,
      password: seeded.password,
      admin: (seeded.groups ?? []).includes(ADMIN_GROUP),
    };
  }
  return { email, password: `Local-${email.split('@')[0]}-Passw0rd`, admin: false };
}

/**
 * Signs users in against a running local cloud and keeps their ID tokens, so tests, the demo and
 * the load run call the APIs the way a client app does.
 *
 * @example
 * ```ts
 * const identity = new LocalSignIn(cloud.awsEndpoint, cloud.region, cloud.stage, repoRoot);
 * await fetch(`${cloud.baseUrl}/orders`, { headers: await identity.headers('ada') });
 * ```
 */
export class LocalSignIn {
  #pool?: Promise<LocalUserPool>;
  readonly #tokens = new Map<string, Promise<SignedIn>>();

  constructor(
    private readonly awsEndpoint: string,
    private readonly region: string,
    private readonly stage: string,
    private readonly repoRoot: string,
  ) {}

  /** The ID token of `name` (see {@link localUser}); `admin` puts them in the admin group. */
  async token(name: string, options: { admin?: boolean } = {}): Promise<string> {
    const user = localUser(name, this.repoRoot);
    const admin = user.admin || options.admin === true;
    const key = `${user.email}|${admin}`;
    let tokens = this.#tokens.get(key);
    if (!tokens) {
      this.#pool ??= findUserPool(this.awsEndpoint, this.region, this.stage);
      tokens = this.#pool.then((pool) => ensureUserSignedIn(pool, { ...user, admin }));
      this.#tokens.set(key, tokens);
      tokens.catch(() => this.#tokens.delete(key));
    }
    return (await tokens).idToken;
  }

  /** The seeded administrator's ID token. */
  adminToken(): Promise<string> {
    return this.token('admin', { admin: true });
  }

  /** `{ Authorization: 'Bearer …' }` for `name`. */
  async headers(name: string, options: { admin?: boolean } = {}): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token(name, options)}` };
  }
}
