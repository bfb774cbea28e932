import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import { LOCAL_HOST } from '../../net';
import { handlerOf, type RunningEmulator } from '../dynamodb';
import { CognitoError } from './errors';
import { route, sendAwsError } from './protocol';
import { UserPools } from './UserPools';

export interface CognitoEmulatorOptions {
  /** Region of pools created by requests whose signature names none. Default `eu-west-1`. */
  region?: string;
  /**
   * Base URL clients reach the emulator through (the AWS gateway), used for the discovery
   * document's `jwks_uri`. Default: the emulator's own endpoint. See also `setPublicEndpoint`.
   */
  publicEndpoint?: string;
  /** Receives what Cognito would email: confirmation codes and temporary passwords. */
  log?: (line: string) => void;
}

export interface CognitoEmulator extends RunningEmulator {
  /** Sets the base URL the discovery document's `jwks_uri` points at (the gateway's, once known). */
  setPublicEndpoint(url: string): void;
  /** The code last sent to a user (sign-up or password reset) and not used yet, by username or email. */
  confirmationCode(userPoolId: string, username: string): string | undefined;
  /** The pool's JSON Web Key Set, as served at `/<poolId>/.well-known/jwks.json`. */
  jwks(userPoolId: string): JSONWebKeySet | undefined;
}

/**
 * Amazon Cognito user pools (the `cognito-idp` JSON API) in this process, in memory: pools, app
 * clients, groups, users, sign-up with confirmation codes, password sign-in, refresh tokens and the
 * NEW_PASSWORD_REQUIRED challenge. Tokens are RS256 JWTs signed with a key per pool, with Cognito's
 * claims and issuer, so JWT authorizers configured for AWS accept them once pointed at the JWKS
 * served at `/<poolId>/.well-known/jwks.json`. SRP, MFA, hosted UI and Lambda triggers are not
 * emulated.
 *
 * @example
 * const cognito = await startCognito(await freePort(), { log: console.warn });
 * const client = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region });
 * // … later
 * await cognito.stop();
 */
export async function startCognito(
  port: number,
  options: CognitoEmulatorOptions = {},
): Promise<CognitoEmulator> {
  const pools = new UserPools(options.region ?? 'eu-west-1', options.log ?? (() => {}));
  let publicEndpoint = options.publicEndpoint;
  const server = createServer((req, res) => {
    route(req, res, pools, () => publicEndpoint ?? endpoint).catch((error: Error) =>
      sendAwsError(res, new CognitoError('InternalErrorException', error.message)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOCAL_HOST, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const endpoint = `http://${LOCAL_HOST}:${actual}`;
  return {
    name: 'cognito',
    endpoint,
    port: actual,
    handle: handlerOf(server),
    setPublicEndpoint: (url) => {
      publicEndpoint = url.replace(/\/+$/, '');
    },
    confirmationCode: (userPoolId, username) => pools.confirmationCode(userPoolId, username),
    jwks: (userPoolId) => pools.jwks(userPoolId),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
