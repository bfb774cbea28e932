import { createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AdminAddUserToGroupCommandInput,
  AdminConfirmSignUpCommandInput,
  AdminCreateUserCommandInput,
  AdminDeleteUserCommandInput,
  AdminGetUserCommandInput,
  AdminInitiateAuthCommandInput,
  AdminListGroupsForUserCommandInput,
  AdminResetUserPasswordCommandInput,
  AdminRespondToAuthChallengeCommandInput,
  AdminSetUserPasswordCommandInput,
  ChangePasswordCommandInput,
  ConfirmForgotPasswordCommandInput,
  ConfirmSignUpCommandInput,
  CreateGroupCommandInput,
  CreateUserPoolClientCommandInput,
  CreateUserPoolCommandInput,
  ForgotPasswordCommandInput,
  GetUserCommandInput,
  InitiateAuthCommandInput,
  ListGroupsCommandInput,
  ListUserPoolClientsCommandInput,
  ListUserPoolsCommandInput,
  ListUsersCommandInput,
  ListUsersInGroupCommandInput,
  ResendConfirmationCodeCommandInput,
  SignUpCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { LOCAL_ACCOUNT_ID } from '../cloudformation/template';
import { LOCAL_HOST } from '../net';
import type { RunningEmulator } from './dynamodb';

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
 * The `iss` claim of a pool's tokens, the same string as on AWS: the region is the pool id's prefix.
 *
 * @example
 * issuerOf('eu-west-1_AbCdEfGhI'); // 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI'
 */
export function issuerOf(userPoolId: string): string {
  const region = userPoolId.split('_')[0];
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
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

/** An error answered the way Cognito does: `code` becomes `__type` and `x-amzn-ErrorType`. */
export class CognitoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

const invalidParameter = (message: string) =>
  new CognitoError('InvalidParameterException', message);
const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);
const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.');
const wrongPassword = () => notAuthorized('Incorrect username or password.');
const codeMismatch = () =>
  new CognitoError(
    'CodeMismatchException',
    'Invalid verification code provided, please try again.',
  );

// ---------------------------------------------------------------------------------------------
// State

type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

interface UserPool {
  id: string;
  /** Creation order, for paging that survives deletions. */
  seq: number;
  name: string;
  created: number;
  modified: number;
  passwordPolicy: PasswordPolicy;
  usernameAttributes: string[];
  aliasAttributes: string[];
  autoVerifiedAttributes: string[];
  caseSensitive: boolean;
  /** `custom:<name>` attributes declared in the schema. */
  customAttributes: Map<string, Record<string, unknown>>;
  requiredAttributes: Set<string>;
  deletionProtection: string;
  allowAdminCreateUserOnly: boolean;
  /** The rest of CreateUserPool's input, echoed by DescribeUserPool. */
  settings: Record<string, unknown>;
  key: SigningKey;
  /** By username, lower-cased when the pool is case-insensitive. */
  users: Map<string, User>;
  clients: Map<string, AppClient>;
  groups: Map<string, Group>;
}

interface User {
  username: string;
  sub: string;
  seq: number;
  attributes: Map<string, string>;
  status: UserStatus;
  enabled: boolean;
  created: number;
  modified: number;
  // Kept in clear: a local emulator holding seed and test passwords gains nothing from hashing.
  password: string;
  temporaryPasswordExpires?: number;
  pendingCode?: PendingCode;
  groups: Set<string>;
}

interface PendingCode {
  code: string;
  purpose: 'signUp' | 'forgotPassword';
  expires: number;
  /** The attribute the code went to, verified when the code is confirmed. */
  attribute?: string;
}

interface AppClient {
  id: string;
  seq: number;
  name: string;
  secret?: string;
  explicitAuthFlows: string[];
  preventUserExistenceErrors: string;
  accessTokenSeconds: number;
  idTokenSeconds: number;
  refreshTokenSeconds: number;
  authSessionMinutes: number;
  created: number;
  modified: number;
  /** CreateUserPoolClient's input, echoed by DescribeUserPoolClient. */
  settings: Record<string, unknown>;
}

interface Group {
  name: string;
  seq: number;
  description?: string;
  precedence?: number;
  roleArn?: string;
  created: number;
  modified: number;
}

/** What a refresh token stands for: the original sign-in, whose ids refreshed tokens keep. */
interface RefreshGrant {
  poolId: string;
  clientId: string;
  username: string;
  authentication: Authentication;
  expires: number;
}

interface Authentication {
  originJti: string;
  eventId: string;
  authTime: number;
}

interface ChallengeSession {
  poolId: string;
  clientId: string;
  username: string;
  expires: number;
}

const STANDARD_ATTRIBUTES: Record<string, 'String' | 'Boolean' | 'Number'> = {
  sub: 'String',
  name: 'String',
  given_name: 'String',
  family_name: 'String',
  middle_name: 'String',
  nickname: 'String',
  preferred_username: 'String',
  profile: 'String',
  picture: 'String',
  website: 'String',
  email: 'String',
  email_verified: 'Boolean',
  gender: 'String',
  birthdate: 'String',
  zoneinfo: 'String',
  locale: 'String',
  phone_number: 'String',
  phone_number_verified: 'Boolean',
  address: 'String',
  updated_at: 'Number',
};

const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

const SECONDS_PER_UNIT: Record<string, number> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86400,
};

// Cognito's password symbol set: https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
const PASSWORD_SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Old ExplicitAuthFlows names, still accepted by AWS, and their ALLOW_ equivalents. */
const LEGACY_AUTH_FLOWS: Record<string, string> = {
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  CUSTOM_AUTH_FLOW_ONLY: 'ALLOW_CUSTOM_AUTH',
};

const MAX_PAGE = 60;
const CODE_VALIDITY_MS = 24 * 3600 * 1000;

// ---------------------------------------------------------------------------------------------
// Actions

type Params<T> = { [K in keyof T]?: unknown };
type Action = (params: Record<string, unknown>, signedRegion: string | undefined) => unknown;

class UserPools {
  private readonly pools = new Map<string, UserPool>();
  private readonly refreshGrants = new Map<string, RefreshGrant>();
  private readonly sessions = new Map<string, ChallengeSession>();
  private seq = 0;

  constructor(
    private readonly defaultRegion: string,
    private readonly log: (line: string) => void,
  ) {}

  readonly actions: Record<string, Action> = {
    CreateUserPool: (params, region) => this.createUserPool(params, region ?? this.defaultRegion),
    DescribeUserPool: (params) => ({ UserPool: describePool(this.pool(params.UserPoolId)) }),
    ListUserPools: (params) => this.listUserPools(params),
    DeleteUserPool: (params) => this.deleteUserPool(params),
    CreateUserPoolClient: (params) => this.createUserPoolClient(params),
    DescribeUserPoolClient: (params) => {
      const pool = this.pool(params.UserPoolId);
      return { UserPoolClient: describeClient(pool, this.client(pool, params.ClientId)) };
    },
    ListUserPoolClients: (params) => this.listUserPoolClients(params),
    DeleteUserPoolClient: (params) => {
      const pool = this.pool(params.UserPoolId);
      pool.clients.delete(this.client(pool, params.ClientId).id);
      return {};
    },
    CreateGroup: (params) => this.createGroup(params),
    GetGroup: (params) => {
      const pool = this.pool(params.UserPoolId);
      return { Group: describeGroup(pool, this.group(pool, params.GroupName)) };
    },
    ListGroups: (params) => this.listGroups(params),
    DeleteGroup: (params) => {
      const pool = this.pool(params.UserPoolId);
      const group = this.group(pool, params.GroupName);
      pool.groups.delete(group.name);
      for (const user of pool.users.values()) user.groups.delete(group.name);
      return {};
    },
    SignUp: (params) => this.signUp(params),
    ConfirmSignUp: (params) => this.confirmSignUp(params),
    ResendConfirmationCode: (params) => this.resendConfirmationCode(params),
    ForgotPassword: (params) => this.forgotPassword(params),
    ConfirmForgotPassword: (params) => this.confirmForgotPassword(params),
    AdminConfirmSignUp: (params) => this.adminConfirmSignUp(params),
    AdminCreateUser: (params) => this.adminCreateUser(params),
    AdminSetUserPassword: (params) => this.adminSetUserPassword(params),
    AdminResetUserPassword: (params) => this.adminResetUserPassword(params),
    AdminGetUser: (params) => this.adminGetUser(params),
    AdminDeleteUser: (params) => this.adminDeleteUser(params),
    AdminDisableUser: (params) => this.setEnabled(params, false),
    AdminEnableUser: (params) => this.setEnabled(params, true),
    AdminAddUserToGroup: (params) => this.changeMembership(params, 'add'),
    AdminRemoveUserFromGroup: (params) => this.changeMembership(params, 'remove'),
    AdminListGroupsForUser: (params) => this.adminListGroupsForUser(params),
    ListUsers: (params) => this.listUsers(params),
    ListUsersInGroup: (params) => this.listUsersInGroup(params),
    InitiateAuth: (params) => this.initiateAuth(params),
    AdminInitiateAuth: (params) => this.adminInitiateAuth(params),
    RespondToAuthChallenge: (params) => this.respondToAuthChallenge(params),
    AdminRespondToAuthChallenge: (params) => this.respondToAuthChallenge(params),
    GetUser: (params) => this.getUser(params),
    ChangePassword: (params) => this.changePassword(params),
  };

  confirmationCode(userPoolId: string, username: string): string | undefined {
    const pool = this.pools.get(userPoolId);
    return pool && findUser(pool, username)?.pendingCode?.code;
  }

  jwks(userPoolId: string): JSONWebKeySet | undefined {
    const pool = this.pools.get(userPoolId);
    return pool && { keys: [pool.key.publicJwk] };
  }

  // --- pools, clients, groups ------------------------------------------------------------------

  private async createUserPool(params: Params<CreateUserPoolCommandInput>, region: string) {
    const name = requiredString(params, 'PoolName');
    if (!/^[\w\s+=,.@-]{1,128}$/.test(name))
      throw invalidParameter(`Invalid user pool name: ${name}`);
    const usernameAttributes = stringList(params, 'UsernameAttributes');
    const aliasAttributes = stringList(params, 'AliasAttributes');
    if (usernameAttributes.length > 0 && aliasAttributes.length > 0)
      throw invalidParameter(
        'Only one of aliasAttributes or usernameAttributes can be set in a User Pool',
      );
    const {
      PoolName: _name,
      Policies,
      UsernameAttributes: _usernameAttributes,
      AliasAttributes: _aliasAttributes,
      UsernameConfiguration,
      Schema: _schema,
      AdminCreateUserConfig,
      DeletionProtection,
      ...settings
    } = params;
    const customAttributes = new Map<string, Record<string, unknown>>();
    const requiredAttributes = new Set<string>();
    for (const attribute of objectList(params, 'Schema')) {
      const attributeName = String(attribute.Name ?? '');
      if (attributeName in STANDARD_ATTRIBUTES) {
        if (isTrue(attribute.Required)) requiredAttributes.add(attributeName);
      } else {
        customAttributes.set(`custom:${attributeName}`, {
          ...attribute,
          Name: `custom:${attributeName}`,
        });
      }
    }
    const now = Date.now();
    const id = `${region}_${randomAlphanumeric(9, ALPHANUMERIC)}`;
    const pool: UserPool = {
      id,
      seq: ++this.seq,
      name,
      created: now,
      modified: now,
      passwordPolicy: passwordPolicy(Policies),
      usernameAttributes,
      aliasAttributes,
      autoVerifiedAttributes: stringList(params, 'AutoVerifiedAttributes'),
      // Pools created through the API without UsernameConfiguration are case-sensitive.
      caseSensitive: !isFalse(
        (UsernameConfiguration as { CaseSensitive?: unknown })?.CaseSensitive,
      ),
      customAttributes,
      requiredAttributes,
      deletionProtection: DeletionProtection === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE',
      allowAdminCreateUserOnly: isTrue(
        (AdminCreateUserConfig as { AllowAdminCreateUserOnly?: unknown })?.AllowAdminCreateUserOnly,
      ),
      settings: {
        ...settings,
        AdminCreateUserConfig: {
          AllowAdminCreateUserOnly: false,
          UnusedAccountValidityDays: 7,
          ...(AdminCreateUserConfig as object),
        },
      },
      key: await signingKey(),
      users: new Map(),
      clients: new Map(),
      groups: new Map(),
    };
    this.pools.set(id, pool);
    return { UserPool: describePool(pool) };
  }

  private listUserPools(params: Params<ListUserPoolsCommandInput>) {
    const limit = pageSize(params, 'MaxResults', true);
    const { items, next } = page([...this.pools.values()], limit, params.NextToken);
    return {
      UserPools: items.map((pool) => ({
        Id: pool.id,
        Name: pool.name,
        LambdaConfig: pool.settings.LambdaConfig ?? {},
        CreationDate: epochSeconds(pool.created),
        LastModifiedDate: epochSeconds(pool.modified),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  private deleteUserPool(params: Params<{ UserPoolId: string }>) {
    const pool = this.pool(params.UserPoolId);
    if (pool.deletionProtection === 'ACTIVE')
      throw invalidParameter(
        'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
      );
    this.pools.delete(pool.id);
    return {};
  }

  private createUserPoolClient(params: Params<CreateUserPoolClientCommandInput>) {
    const pool = this.pool(params.UserPoolId);
    const name = requiredString(params, 'ClientName');
    const units = (params.TokenValidityUnits ?? {}) as Record<string, unknown>;
    const accessTokenSeconds = validitySeconds(
      params.AccessTokenValidity,
      units.AccessToken,
      'hours',
      3600,
    );
    const idTokenSeconds = validitySeconds(params.IdTokenValidity, units.IdToken, 'hours', 3600);
    const refreshTokenSeconds = validitySeconds(
      params.RefreshTokenValidity,
      units.RefreshToken,
      'days',
      30 * 86400,
    );
    // Limits from https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html
    if (accessTokenSeconds < 300 || accessTokenSeconds > 86400)
      throw invalidParameter('Access token validity must be between 5 minutes and 1 day.');
    if (idTokenSeconds < 300 || idTokenSeconds > 86400)
      throw invalidParameter('Id token validity must be between 5 minutes and 1 day.');
    if (refreshTokenSeconds < 3600 || refreshTokenSeconds > 3650 * 86400)
      throw invalidParameter('Refresh token validity must be between 60 minutes and 10 years.');
    const listedFlows = stringList(params, 'ExplicitAuthFlows');
    const explicitAuthFlows =
      listedFlows.length > 0
        ? listedFlows
        : ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];
    for (const flow of explicitAuthFlows) {
      if (!flow.startsWith('ALLOW_') && !(flow in LEGACY_AUTH_FLOWS))
        throw invalidParameter(`Invalid explicit auth flow: ${flow}`);
    }
    const prevent = optionalString(params, 'PreventUserExistenceErrors') ?? 'LEGACY';
    const now = Date.now();
    const client: AppClient = {
      id: randomAlphanumeric(26, LOWER_ALPHANUMERIC),
      seq: ++this.seq,
      name,
      ...(isTrue(params.GenerateSecret)
        ? { secret: randomAlphanumeric(51, LOWER_ALPHANUMERIC) }
        : {}),
      explicitAuthFlows,
      preventUserExistenceErrors: prevent,
      accessTokenSeconds,
      idTokenSeconds,
      refreshTokenSeconds,
      authSessionMinutes: Number(params.AuthSessionValidity ?? 3),
      created: now,
      modified: now,
      settings: params,
    };
    pool.clients.set(client.id, client);
    return { UserPoolClient: describeClient(pool, client) };
  }

  private listUserPoolClients(params: Params<ListUserPoolClientsCommandInput>) {
    const pool = this.pool(params.UserPoolId);
    const limit = pageSize(params, 'MaxResults', false);
    const { items, next } = page([...pool.clients.values()], limit, params.NextToken);
    return {
      UserPoolClients: items.map((client) => ({
        ClientId: client.id,
        UserPoolId: pool.id,
        ClientName: client.name,
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  private createGroup(params: Params<CreateGroupCommandInput>) {
    const pool = this.pool(params.UserPoolId);
    const name = requiredString(params, 'GroupName');
    if (pool.groups.has(name))
      throw new CognitoError('GroupExistsException', 'A group with the name already exists.');
    const now = Date.now();
    const precedence = params.Precedence === undefined ? undefined : Number(params.Precedence);
    const group: Group = {
      name,
      seq: ++this.seq,
      description: optionalString(params, 'Description'),
      precedence,
      roleArn: optionalString(params, 'RoleArn'),
      created: now,
      modified: now,
    };
    pool.groups.set(name, group);
    return { Group: describeGroup(pool, group) };
  }

  private listGroups(params: Params<ListGroupsCommandInput>) {
    const pool = this.pool(params.UserPoolId);
    const limit = pageSize(params, 'Limit', false);
    const { items, next } = page([...pool.groups.values()], limit, params.NextToken);
    return {
      Groups: items.map((group) => describeGroup(pool, group)),
      ...(next ? { NextToken: next } : {}),
    };
  }

  // --- users -------------------------------------------------------------------------------------

  private signUp(params: Params<SignUpCommandInput>) {
    const { pool, client } = this.poolOfClient(params.ClientId);
    const signInName = requiredString(params, 'Username');
    const password = requiredString(params, 'Password');
    checkSecretHash(client, signInName, params.SecretHash);
    if (pool.allowAdminCreateUserOnly)
      throw notAuthorized('SignUp is not permitted for this user pool');
    const user = this.newUser(
      pool,
      signInName,
      attributeList(params, 'UserAttributes'),
      'User already exists',
    );
    checkPassword(pool.passwordPolicy, password);
    user.password = password;
    user.status = 'UNCONFIRMED';
    pool.users.set(usernameKey(pool, user.username), user);
    const delivery = this.sendCode(pool, user, 'signUp');
    return {
      UserConfirmed: false,
      UserSub: user.sub,
      ...(delivery ? { CodeDeliveryDetails: delivery } : {}),
    };
  }

  private confirmSignUp(params: Params<ConfirmSignUpCommandInput>) {
    const { pool, client } = this.poolOfClient(params.ClientId);
    const signInName = requiredString(params, 'Username');
    const code = requiredString(params, 'ConfirmationCode');
    const user = findUser(pool, signInName);
    checkSecretHash(client, signInName, params.SecretHash);
    if (!user) {
      if (preventsExistenceErrors(client)) throw codeMismatch();
      throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
    }
    if (user.status !== 'UNCONFIRMED')
      throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    this.consumeCode(user, 'signUp', code);
    user.status = 'CONFIRMED';
    touch(user);
    return {};
  }

  private resendConfirmationCode(params: Params<ResendConfirmationCodeCommandInput>) {
    const { pool, client } = this.poolOfClient(params.ClientId);
    const signInName = requiredString(params, 'Username');
    checkSecretHash(client, signInName, params.SecretHash);
    const user = findUser(pool, signInName);
    if (!user) throw userNotFound();
    if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
    const delivery = this.sendCode(pool, user, 'signUp');
    if (!delivery)
      throw invalidParameter(
        'Cannot resend codes. Auto verification not turned on for a verified email or phone_number',
      );
    return { CodeDeliveryDetails: delivery };
  }

  private forgotPassword(params: Params<ForgotPasswordCommandInput>) {
    const { pool, client } = this.poolOfClient(params.ClientId);
    const signInName = requiredString(params, 'Username');
    checkSecretHash(client, signInName, params.SecretHash);
    const user = findUser(pool, signInName);
    if (!user) throw userNotFound();
    const verified = ['email', 'phone_number'].find(
      (attribute) => user.attributes.get(`${attribute}_verified`) === 'true',
    );
    if (!verified)
      throw invalidParameter(
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      );
    return { CodeDeliveryDetails: this.sendCode(pool, user, 'forgotPassword', verified) };
  }

  private confirmForgotPassword(params: Params<ConfirmForgotPasswordCommandInput>) {
    const { pool, client } = this.poolOfClient(params.ClientId);
    const signInName = requiredString(params, 'Username');
    const code = requiredString(params, 'ConfirmationCode');
    const password = requiredString(params, 'Password');
    checkSecretHash(client, signInName, params.SecretHash);
    const user = findUser(pool, signInName);
    if (!user) throw userNotFound();
    this.consumeCode(user, 'forgotPassword', code);
    checkPassword(pool.passwordPolicy, password);
    setPassword(user, password, 'CONFIRMED');
    return {};
  }

  private adminConfirmSignUp(params: Params<AdminConfirmSignUpCommandInput>) {
    const { user } = this.poolUser(params);
    if (user.status !== 'UNCONFIRMED')
      throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    user.status = 'CONFIRMED';
    user.pendingCode = undefined;
    touch(user);
    return {};
  }

  private adminCreateUser(params: Params<AdminCreateUserCommandInput>) {
    const pool = this.pool(params.UserPoolId);
    const signInName = requiredString(params, 'Username');
    const messageAction = optionalString(params, 'MessageAction');
    const given = optionalString(params, 'TemporaryPassword');
    if (messageAction === 'RESEND') {
      const user = findUser(pool, signInName);
      if (!user) throw userNotFound();
      if (user.status !== 'FORCE_CHANGE_PASSWORD')
        throw new CognitoError(
          'UnsupportedUserStateException',
          `Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD`,
        );
      this.setTemporaryPassword(pool, user, given, true);
      return { User: describeUser(user) };
    }
    const user = this.newUser(
      pool,
      signInName,
      attributeList(params, 'UserAttributes'),
      'User account already exists',
    );
    this.setTemporaryPassword(pool, user, given, messageAction !== 'SUPPRESS');
    pool.users.set(usernameKey(pool, user.username), user);
    return { User: describeUser(user) };
  }

  private adminSetUserPassword(params: Params<AdminSetUserPasswordCommandInput>) {
    const { pool, user } = this.poolUser(params);
    const password = requiredString(params, 'Password');
    checkPassword(pool.passwordPolicy, password);
    if (isTrue(params.Permanent)) setPassword(user, password, 'CONFIRMED');
    else this.setTemporaryPassword(pool, user, password, false);
    return {};
  }

  private adminResetUserPassword(params: Params<AdminResetUserPasswordCommandInput>) {
    const { pool, user } = this.poolUser(params);
    user.status = 'RESET_REQUIRED';
    touch(user);
    const verified = ['email', 'phone_number'].find(
      (attribute) => user.attributes.get(`${attribute}_verified`) === 'true',
    );
    if (verified) this.sendCode(pool, user, 'forgotPassword', verified);
    return {};
  }

  private adminGetUser(params: Params<AdminGetUserCommandInput>) {
    const { user } = this.poolUser(params);
    const { Attributes, ...rest } = describeUser(user);
    return { ...rest, UserAttributes: Attributes };
  }

  private adminDeleteUser(params: Params<AdminDeleteUserCommandInput>) {
    const { pool, user } = this.poolUser(params);
    pool.users.delete(usernameKey(pool, user.username));
    return {};
  }

  private setEnabled(params: Params<{ UserPoolId: string; Username: string }>, enabled: boolean) {
    const { user } = this.poolUser(params);
    user.enabled = enabled;
    touch(user);
    return {};
  }

  private changeMembership(
    params: Params<AdminAddUserToGroupCommandInput>,
    change: 'add' | 'remove',
  ) {
    const { pool, user } = this.poolUser(params);
    const group = this.group(pool, params.GroupName);
    if (change === 'add') user.groups.add(group.name);
    else user.groups.delete(group.name);
    return {};
  }

  private adminListGroupsForUser(params: Params<AdminListGroupsForUserCommandInput>) {
    const { pool, user } = this.poolUser(params);
    const limit = pageSize(params, 'Limit', false);
    const { items, next } = page(groupsOf(pool, user), limit, params.NextToken);
    return {
      Groups: items.map((group) => describeGroup(pool, group)),
      ...(next ? { NextToken: next } : {}),
    };
  }

  private listUsers(params: Params<ListUsersCommandInput>) {
    const pool = this.pool(params.UserPoolId);
    const limit = pageSize(params, 'Limit', false);
    const filter = optionalString(params, 'Filter');
    const matches = filter ? userFilter(pool, filter) : () => true;
    const only = stringList(params, 'AttributesToGet');
    const { items, next } = page(
      [...pool.users.values()].filter(matches),
      limit,
      params.PaginationToken,
    );
    return {
      Users: items.map((user) => {
        const described = describeUser(user);
        return only.length > 0
          ? {
              ...described,
              Attributes: described.Attributes.filter(({ Name }) => only.includes(Name)),
            }
          : described;
      }),
      ...(next ? { PaginationToken: next } : {}),
    };
  }

  private listUsersInGroup(params: Params<ListUsersInGroupCommandInput>) {
    const pool = this.pool(params.UserPoolId);
    const group = this.group(pool, params.GroupName);
    const limit = pageSize(params, 'Limit', false);
    const members = [...pool.users.values()].filter((user) => user.groups.has(group.name));
    const { items, next } = page(members, limit, params.NextToken);
    return { Users: items.map(describeUser), ...(next ? { NextToken: next } : {}) };
  }

  // --- authentication ----------------------------------------------------------------------------

  private initiateAuth(params: Params<InitiateAuthCommandInput>) {
    const { pool, client } = this.poolOfClient(params.ClientId);
    const flow = requiredString(params, 'AuthFlow');
    const authParameters = stringMap(params, 'AuthParameters');
    switch (flow) {
      case 'USER_PASSWORD_AUTH':
        allowFlow(client, 'ALLOW_USER_PASSWORD_AUTH', flow);
        return this.passwordAuth(pool, client, authParameters);
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        allowFlow(client, 'ALLOW_REFRESH_TOKEN_AUTH', flow);
        return this.refreshAuth(pool, client, authParameters);
      case 'ADMIN_USER_PASSWORD_AUTH':
      case 'ADMIN_NO_SRP_AUTH':
        throw invalidParameter('Initiate Auth method not supported.');
      default:
        throw unemulatedFlow(flow);
    }
  }

  private adminInitiateAuth(params: Params<AdminInitiateAuthCommandInput>) {
    const pool = this.pool(params.UserPoolId);
    const client = this.client(pool, params.ClientId);
    const flow = requiredString(params, 'AuthFlow');
    const authParameters = stringMap(params, 'AuthParameters');
    switch (flow) {
      case 'ADMIN_USER_PASSWORD_AUTH':
      case 'ADMIN_NO_SRP_AUTH':
        allowFlow(client, 'ALLOW_ADMIN_USER_PASSWORD_AUTH', flow);
        return this.passwordAuth(pool, client, authParameters);
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        allowFlow(client, 'ALLOW_REFRESH_TOKEN_AUTH', flow);
        return this.refreshAuth(pool, client, authParameters);
      case 'USER_PASSWORD_AUTH':
        throw invalidParameter('Initiate Auth method not supported.');
      default:
        throw unemulatedFlow(flow);
    }
  }

  private async passwordAuth(
    pool: UserPool,
    client: AppClient,
    authParameters: Record<string, string>,
  ) {
    const signInName = authParameter(authParameters, 'USERNAME');
    const password = authParameter(authParameters, 'PASSWORD');
    checkSecretHash(client, signInName, authParameters.SECRET_HASH);
    const user = findUser(pool, signInName);
    if (!user) throw preventsExistenceErrors(client) ? wrongPassword() : userNotFound();
    if (!user.enabled) throw notAuthorized('User is disabled.');
    if (!safeEqual(user.password, password)) throw wrongPassword();
    switch (user.status) {
      case 'UNCONFIRMED':
        throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
      case 'RESET_REQUIRED':
        throw new CognitoError(
          'PasswordResetRequiredException',
          'Password reset required for the user',
        );
      case 'FORCE_CHANGE_PASSWORD': {
        if (
          user.temporaryPasswordExpires !== undefined &&
          Date.now() > user.temporaryPasswordExpires
        )
          throw notAuthorized(
            'Temporary password has expired and must be reset by an administrator.',
          );
        const session = randomBytes(48).toString('base64url');
        this.sessions.set(session, {
          poolId: pool.id,
          clientId: client.id,
          username: user.username,
          expires: Date.now() + client.authSessionMinutes * 60_000,
        });
        const { sub: _sub, ...visible } = Object.fromEntries(user.attributes);
        return {
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeParameters: {
            USER_ID_FOR_SRP: user.username,
            requiredAttributes: '[]',
            userAttributes: JSON.stringify(visible),
          },
        };
      }
      case 'CONFIRMED':
        return {
          ChallengeParameters: {},
          AuthenticationResult: await this.issueTokens(pool, client, user, undefined),
        };
    }
  }

  private async refreshAuth(
    pool: UserPool,
    client: AppClient,
    authParameters: Record<string, string>,
  ) {
    const token = authParameter(authParameters, 'REFRESH_TOKEN');
    const grant = this.refreshGrants.get(token);
    if (!grant || grant.poolId !== pool.id || grant.clientId !== client.id)
      throw notAuthorized('Invalid Refresh Token');
    if (Date.now() > grant.expires) {
      this.refreshGrants.delete(token);
      throw notAuthorized('Refresh Token has expired');
    }
    const user = pool.users.get(usernameKey(pool, grant.username));
    if (!user?.enabled) throw notAuthorized('Refresh Token has been revoked');
    if (authParameters.SECRET_HASH !== undefined || client.secret)
      checkSecretHash(client, user.username, authParameters.SECRET_HASH);
    return {
      ChallengeParameters: {},
      AuthenticationResult: await this.issueTokens(pool, client, user, grant.authentication),
    };
  }

  private async respondToAuthChallenge(params: Params<AdminRespondToAuthChallengeCommandInput>) {
    const { pool, client } = this.poolOfClient(params.ClientId);
    if (params.UserPoolId !== undefined && params.UserPoolId !== pool.id)
      throw new CognitoError(
        'ResourceNotFoundException',
        `User pool client ${client.id} does not exist.`,
      );
    const challenge = requiredString(params, 'ChallengeName');
    if (challenge !== 'NEW_PASSWORD_REQUIRED') throw unemulatedFlow(`Challenge ${challenge}`);
    const responses = stringMap(params, 'ChallengeResponses');
    const sessionId = optionalString(params, 'Session') ?? '';
    const session = this.sessions.get(sessionId);
    const user = session && pool.users.get(usernameKey(pool, session.username));
    const named = findUser(pool, authParameter(responses, 'USERNAME'));
    if (
      !session ||
      Date.now() > session.expires ||
      session.clientId !== client.id ||
      !user ||
      named !== user
    )
      throw notAuthorized('Invalid session for the user, session is expired.');
    checkSecretHash(client, responses.USERNAME ?? '', responses.SECRET_HASH);
    const password = authParameter(responses, 'NEW_PASSWORD');
    checkPassword(pool.passwordPolicy, password);
    const updates = new Map(
      Object.entries(responses)
        .filter(([name]) => name.startsWith('userAttributes.'))
        .map(([name, value]) => [name.slice('userAttributes.'.length), value]),
    );
    checkAttributes(pool, updates, false);
    for (const [name, value] of updates) user.attributes.set(name, value);
    setPassword(user, password, 'CONFIRMED');
    this.sessions.delete(sessionId);
    return {
      ChallengeParameters: {},
      AuthenticationResult: await this.issueTokens(pool, client, user, undefined),
    };
  }

  private async getUser(params: Params<GetUserCommandInput>) {
    const { user } = await this.userOfAccessToken(params.AccessToken);
    return {
      Username: user.username,
      UserAttributes: describeUser(user).Attributes,
    };
  }

  private async changePassword(params: Params<ChangePasswordCommandInput>) {
    const { pool, user } = await this.userOfAccessToken(params.AccessToken);
    const previous = requiredString(params, 'PreviousPassword');
    const proposed = requiredString(params, 'ProposedPassword');
    if (!safeEqual(user.password, previous)) throw wrongPassword();
    checkPassword(pool.passwordPolicy, proposed);
    setPassword(user, proposed, user.status);
    return {};
  }

  /** Signs a fresh ID and access token; a sign-in (no `authentication` yet) also gets a refresh token. */
  private async issueTokens(
    pool: UserPool,
    client: AppClient,
    user: User,
    authentication: Authentication | undefined,
  ) {
    const now = Math.floor(Date.now() / 1000);
    const signIn = authentication ?? {
      originJti: randomUUID(),
      eventId: randomUUID(),
      authTime: now,
    };
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
    const result = {
      AccessToken: accessToken,
      ExpiresIn: client.accessTokenSeconds,
      TokenType: 'Bearer',
      IdToken: idToken,
    };
    if (authentication) return result;
    const refreshToken = randomBytes(96).toString('base64url');
    this.refreshGrants.set(refreshToken, {
      poolId: pool.id,
      clientId: client.id,
      username: user.username,
      authentication: signIn,
      expires: Date.now() + client.refreshTokenSeconds * 1000,
    });
    return { ...result, RefreshToken: refreshToken };
  }

  private async userOfAccessToken(token: unknown) {
    if (typeof token !== 'string' || token === '') throw notAuthorized('Invalid Access Token');
    let poolId: string | undefined;
    try {
      poolId = String(decodeJwt(token).iss ?? '')
        .split('/')
        .at(-1);
    } catch {
      throw notAuthorized('Invalid Access Token');
    }
    const pool = poolId ? this.pools.get(poolId) : undefined;
    if (!pool) throw notAuthorized('Invalid Access Token');
    let username: string;
    try {
      const { payload } = await jwtVerify(token, pool.key.publicKey, {
        issuer: issuerOf(pool.id),
        algorithms: ['RS256'],
      });
      if (payload.token_use !== 'access') throw new Error('not an access token');
      username = String(payload.username);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED')
        throw notAuthorized('Access Token has expired');
      throw notAuthorized('Invalid Access Token');
    }
    const user = pool.users.get(usernameKey(pool, username));
    if (!user) throw userNotFound();
    if (!user.enabled) throw notAuthorized('User is disabled.');
    return { pool, user };
  }

  // --- helpers needing state ---------------------------------------------------------------------

  private pool(id: unknown): UserPool {
    if (typeof id !== 'string' || id === '') throw missing('UserPoolId');
    const pool = this.pools.get(id);
    if (!pool)
      throw new CognitoError('ResourceNotFoundException', `User pool ${id} does not exist.`);
    return pool;
  }

  private client(pool: UserPool, id: unknown): AppClient {
    if (typeof id !== 'string' || id === '') throw missing('ClientId');
    const client = pool.clients.get(id);
    if (!client)
      throw new CognitoError('ResourceNotFoundException', `User pool client ${id} does not exist.`);
    return client;
  }

  /** Unsigned actions name only the client: its pool is found from it. */
  private poolOfClient(id: unknown): { pool: UserPool; client: AppClient } {
    if (typeof id !== 'string' || id === '') throw missing('ClientId');
    for (const pool of this.pools.values()) {
      const client = pool.clients.get(id);
      if (client) return { pool, client };
    }
    throw new CognitoError('ResourceNotFoundException', `User pool client ${id} does not exist.`);
  }

  private group(pool: UserPool, name: unknown): Group {
    if (typeof name !== 'string' || name === '') throw missing('GroupName');
    const group = pool.groups.get(name);
    if (!group) throw new CognitoError('ResourceNotFoundException', 'Group not found.');
    return group;
  }

  private poolUser(params: Params<{ UserPoolId: string; Username: string }>) {
    const pool = this.pool(params.UserPoolId);
    const user = findUser(pool, requiredString(params, 'Username'));
    if (!user) throw userNotFound();
    return { pool, user };
  }

  /**
   * A user not yet stored. In a pool with UsernameAttributes, the name given is the email or phone
   * number and the username is the user's sub, as on AWS.
   */
  private newUser(
    pool: UserPool,
    signInName: string,
    attributes: Map<string, string>,
    existsMessage: string,
  ): User {
    if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(signInName))
      throw invalidParameter(`Invalid username: ${signInName}`);
    const sub = randomUUID();
    let username = signInName;
    if (pool.usernameAttributes.length > 0) {
      const attribute = pool.usernameAttributes.find((name) =>
        name === 'email' ? EMAIL.test(signInName) : PHONE.test(signInName),
      );
      if (!attribute)
        throw invalidParameter(
          pool.usernameAttributes.includes('email')
            ? 'Username should be an email.'
            : 'Username should be a phone number.',
        );
      attributes.set(attribute, signInName);
      username = sub;
    }
    for (const attribute of pool.usernameAttributes) {
      const value = attributes.get(attribute);
      if (value && findUser(pool, value))
        throw new CognitoError(
          'UsernameExistsException',
          `An account with the given ${attribute} already exists.`,
        );
    }
    if (pool.users.has(usernameKey(pool, username)))
      throw new CognitoError('UsernameExistsException', existsMessage);
    checkAttributes(pool, attributes, true);
    // An email or phone number nobody has confirmed yet is unverified, and the ID token says so.
    for (const attribute of ['email', 'phone_number']) {
      if (attributes.has(attribute) && !attributes.has(`${attribute}_verified`))
        attributes.set(`${attribute}_verified`, 'false');
    }
    const now = Date.now();
    return {
      username,
      sub,
      seq: ++this.seq,
      attributes: new Map([['sub', sub], ...attributes]),
      status: 'UNCONFIRMED',
      enabled: true,
      created: now,
      modified: now,
      password: '',
      groups: new Set(),
    };
  }

  private setTemporaryPassword(
    pool: UserPool,
    user: User,
    given: string | undefined,
    announce: boolean,
  ) {
    const password = given ?? temporaryPassword(pool.passwordPolicy);
    checkPassword(pool.passwordPolicy, password);
    setPassword(user, password, 'FORCE_CHANGE_PASSWORD');
    user.temporaryPasswordExpires =
      Date.now() + pool.passwordPolicy.TemporaryPasswordValidityDays * 86400_000;
    if (announce)
      this.log(
        `✉ ${contactOf(user) ?? user.username}: invitation to ${pool.name}, username ${displayName(pool, user)}, temporary password ${password}`,
      );
  }

  /** Makes and "sends" a code to the user's email or phone, as the pool auto-verifies. */
  private sendCode(
    pool: UserPool,
    user: User,
    purpose: PendingCode['purpose'],
    attribute = pool.autoVerifiedAttributes.find((name) => user.attributes.has(name)),
  ) {
    if (!attribute) return undefined;
    const destination = user.attributes.get(attribute) ?? '';
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    user.pendingCode = { code, purpose, expires: Date.now() + CODE_VALIDITY_MS, attribute };
    const what = purpose === 'signUp' ? 'confirmation code' : 'password reset code';
    this.log(`✉ ${destination}: ${what} ${code} (user pool ${pool.name})`);
    return {
      Destination: mask(destination),
      DeliveryMedium: attribute === 'email' ? 'EMAIL' : 'SMS',
      AttributeName: attribute,
    };
  }

  private consumeCode(user: User, purpose: PendingCode['purpose'], code: string) {
    const pending = user.pendingCode;
    if (!pending || pending.purpose !== purpose || !safeEqual(pending.code, code))
      throw codeMismatch();
    if (Date.now() > pending.expires)
      throw new CognitoError(
        'ExpiredCodeException',
        'Invalid code provided, please request a code again.',
      );
    if (pending.attribute) user.attributes.set(`${pending.attribute}_verified`, 'true');
    user.pendingCode = undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Descriptions (the API's response shapes; dates are epoch seconds, as the JSON protocol sends)

function describePool(pool: UserPool) {
  const standard = Object.entries(STANDARD_ATTRIBUTES).map(([name, type]) => ({
    Name: name,
    AttributeDataType: type,
    DeveloperOnlyAttribute: false,
    Mutable: name !== 'sub',
    Required: name === 'sub' || pool.requiredAttributes.has(name),
  }));
  return {
    MfaConfiguration: 'OFF',
    EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
    VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
    LambdaConfig: {},
    UserPoolTags: {},
    ...pool.settings,
    Id: pool.id,
    Name: pool.name,
    Arn: `arn:aws:cognito-idp:${pool.id.split('_')[0]}:${LOCAL_ACCOUNT_ID}:userpool/${pool.id}`,
    Policies: { PasswordPolicy: pool.passwordPolicy },
    DeletionProtection: pool.deletionProtection,
    SchemaAttributes: [...standard, ...pool.customAttributes.values()],
    AutoVerifiedAttributes: pool.autoVerifiedAttributes,
    ...(pool.usernameAttributes.length > 0 ? { UsernameAttributes: pool.usernameAttributes } : {}),
    ...(pool.aliasAttributes.length > 0 ? { AliasAttributes: pool.aliasAttributes } : {}),
    UsernameConfiguration: { CaseSensitive: pool.caseSensitive },
    EstimatedNumberOfUsers: pool.users.size,
    CreationDate: epochSeconds(pool.created),
    LastModifiedDate: epochSeconds(pool.modified),
  };
}

function describeClient(pool: UserPool, client: AppClient) {
  const { GenerateSecret: _generate, ...settings } = client.settings;
  return {
    AllowedOAuthFlowsUserPoolClient: false,
    AuthSessionValidity: client.authSessionMinutes,
    EnableTokenRevocation: true,
    EnablePropagateAdditionalUserContextData: false,
    RefreshTokenValidity: 30,
    ...settings,
    UserPoolId: pool.id,
    ClientName: client.name,
    ClientId: client.id,
    ...(client.secret ? { ClientSecret: client.secret } : {}),
    ExplicitAuthFlows: client.explicitAuthFlows,
    PreventUserExistenceErrors: client.preventUserExistenceErrors,
    CreationDate: epochSeconds(client.created),
    LastModifiedDate: epochSeconds(client.modified),
  };
}

function describeGroup(pool: UserPool, group: Group) {
  return {
    GroupName: group.name,
    UserPoolId: pool.id,
    ...(group.description === undefined ? {} : { Description: group.description }),
    ...(group.precedence === undefined ? {} : { Precedence: group.precedence }),
    ...(group.roleArn === undefined ? {} : { RoleArn: group.roleArn }),
    CreationDate: epochSeconds(group.created),
    LastModifiedDate: epochSeconds(group.modified),
  };
}

function describeUser(user: User) {
  return {
    Username: user.username,
    Attributes: [...user.attributes].map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: epochSeconds(user.created),
    UserLastModifiedDate: epochSeconds(user.modified),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

// ---------------------------------------------------------------------------------------------
// Users, passwords, tokens

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const PHONE = /^\+\d{4,15}$/;

function usernameKey(pool: UserPool, username: string): string {
  return pool.caseSensitive ? username : username.toLowerCase();
}

/**
 * Finds a user by username or, where the pool allows, by email or phone number (username
 * attributes) or verified alias, as sign-in and the admin APIs do.
 */
function findUser(pool: UserPool, name: string): User | undefined {
  const direct = pool.users.get(usernameKey(pool, name));
  if (direct) return direct;
  const key = usernameKey(pool, name);
  for (const user of pool.users.values()) {
    for (const attribute of [...pool.usernameAttributes, ...pool.aliasAttributes]) {
      const value = user.attributes.get(attribute);
      if (value === undefined || usernameKey(pool, value) !== key) continue;
      const usable =
        pool.usernameAttributes.includes(attribute) ||
        attribute === 'preferred_username' ||
        user.attributes.get(`${attribute}_verified`) === 'true';
      if (usable) return user;
    }
  }
  return undefined;
}

function displayName(pool: UserPool, user: User): string {
  const attribute = pool.usernameAttributes[0];
  return (attribute && user.attributes.get(attribute)) || user.username;
}

function contactOf(user: User): string | undefined {
  return user.attributes.get('email') ?? user.attributes.get('phone_number');
}

function groupsOf(pool: UserPool, user: User): Group[] {
  // Cognito orders a user's groups by precedence; groups without one come last.
  return [...user.groups]
    .map((name) => pool.groups.get(name))
    .filter((group): group is Group => group !== undefined)
    .sort(
      (a, b) =>
        (a.precedence ?? Number.MAX_SAFE_INTEGER) - (b.precedence ?? Number.MAX_SAFE_INTEGER) ||
        a.seq - b.seq,
    );
}

function setPassword(user: User, password: string, status: UserStatus) {
  user.password = password;
  user.status = status;
  user.temporaryPasswordExpires = undefined;
  touch(user);
}

function touch(user: User) {
  user.modified = Date.now();
}

function checkAttributes(pool: UserPool, attributes: Map<string, string>, complete: boolean) {
  for (const [name, value] of attributes) {
    if (name === 'sub')
      throw invalidParameter(
        'Attributes did not conform to the schema: sub: Attribute cannot be updated',
      );
    if (!(name in STANDARD_ATTRIBUTES) && !pool.customAttributes.has(name))
      throw invalidParameter(
        `Attributes did not conform to the schema: Type for attribute {${name}} could not be determined`,
      );
    if (name === 'email' && !EMAIL.test(value))
      throw invalidParameter('Invalid email address format.');
  }
  if (!complete) return;
  for (const name of pool.requiredAttributes) {
    if (!attributes.has(name))
      throw invalidParameter(
        `Attributes did not conform to the schema: ${name}: The attribute is required`,
      );
  }
}

/** What the ID token says of the user's attributes: `*_verified` as booleans, as Cognito does. */
function attributeClaims(attributes: Record<string, string>): Record<string, unknown> {
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

function passwordPolicy(policies: unknown): PasswordPolicy {
  const given = ((policies as { PasswordPolicy?: Record<string, unknown> } | undefined)
    ?.PasswordPolicy ?? {}) as Record<string, unknown>;
  const flag = (name: keyof PasswordPolicy) =>
    given[name] === undefined ? Boolean(DEFAULT_PASSWORD_POLICY[name]) : isTrue(given[name]);
  const policy: PasswordPolicy = {
    MinimumLength: Number(given.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength),
    RequireUppercase: flag('RequireUppercase'),
    RequireLowercase: flag('RequireLowercase'),
    RequireNumbers: flag('RequireNumbers'),
    RequireSymbols: flag('RequireSymbols'),
    TemporaryPasswordValidityDays: Number(
      given.TemporaryPasswordValidityDays ?? DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays,
    ),
  };
  if (
    !Number.isInteger(policy.MinimumLength) ||
    policy.MinimumLength < 6 ||
    policy.MinimumLength > 99
  )
    throw invalidParameter('Password policy MinimumLength must be between 6 and 99.');
  return policy;
}

function checkPassword(policy: PasswordPolicy, password: string) {
  const failure =
    password.length < policy.MinimumLength
      ? 'Password not long enough'
      : policy.RequireLowercase && !/\p{Ll}/u.test(password)
        ? 'Password must have lowercase characters'
        : policy.RequireUppercase && !/\p{Lu}/u.test(password)
          ? 'Password must have uppercase characters'
          : policy.RequireNumbers && !/\d/.test(password)
            ? 'Password must have numeric characters'
            : policy.RequireSymbols && !PASSWORD_SYMBOL.test(password)
              ? 'Password must have symbol characters'
              : undefined;
  if (failure)
    throw new CognitoError(
      'InvalidPasswordException',
      `Password did not conform with policy: ${failure}`,
    );
}

/** A temporary password that satisfies the pool's policy, for invitations without one. */
function temporaryPassword(policy: PasswordPolicy): string {
  const body = randomAlphanumeric(Math.max(policy.MinimumLength, 12), ALPHANUMERIC);
  return `${body}aA1!`;
}

function allowFlow(client: AppClient, allowed: string, flow: string) {
  const flows = client.explicitAuthFlows.map((name) => LEGACY_AUTH_FLOWS[name] ?? name);
  // Clients listing only legacy flows may always refresh, as on AWS.
  const legacyRefresh =
    allowed === 'ALLOW_REFRESH_TOKEN_AUTH' &&
    client.explicitAuthFlows.every((name) => name in LEGACY_AUTH_FLOWS);
  if (!flows.includes(allowed) && !legacyRefresh)
    throw invalidParameter(`${flow} flow not enabled for this client`);
}

function unemulatedFlow(flow: string) {
  return invalidParameter(
    flow === 'USER_SRP_AUTH'
      ? 'USER_SRP_AUTH (Secure Remote Password) is not emulated locally: sign in with USER_PASSWORD_AUTH, which the app client must allow (ALLOW_USER_PASSWORD_AUTH)'
      : `${flow} is not emulated locally: sign in with USER_PASSWORD_AUTH`,
  );
}

function preventsExistenceErrors(client: AppClient): boolean {
  return client.preventUserExistenceErrors === 'ENABLED';
}

/** SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)), required with a secret. */
function checkSecretHash(client: AppClient, username: string, given: unknown) {
  if (!client.secret) return;
  if (typeof given !== 'string' || given === '')
    throw notAuthorized(
      `Client ${client.id} is configured with secret but SECRET_HASH was not received`,
    );
  const expected = createHmac('sha256', client.secret)
    .update(username + client.id)
    .digest('base64');
  if (!safeEqual(expected, given))
    throw notAuthorized(`Unable to verify secret hash for client ${client.id}`);
}

async function signingKey(): Promise<SigningKey> {
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

function validitySeconds(
  value: unknown,
  unit: unknown,
  defaultUnit: string,
  defaultSeconds: number,
): number {
  if (value === undefined || value === null) return defaultSeconds;
  const perUnit = SECONDS_PER_UNIT[typeof unit === 'string' ? unit : defaultUnit];
  if (perUnit === undefined) throw invalidParameter(`Invalid token validity unit: ${String(unit)}`);
  return Number(value) * perUnit;
}

/** ListUsers' `Filter`: `name = "value"` or `name ^= "prefix"`, on the attributes AWS allows. */
function userFilter(pool: UserPool, filter: string): (user: User) => boolean {
  const parsed = /^\s*"?([\w:]+)"?\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!parsed) throw invalidParameter('Error while parsing filter.');
  const [, name = '', operator, raw = ''] = parsed;
  const searchable = [
    'username',
    'email',
    'phone_number',
    'name',
    'given_name',
    'family_name',
    'preferred_username',
    'cognito:user_status',
    'status',
    'sub',
  ];
  if (!searchable.includes(name)) throw invalidParameter(`Invalid search attribute: ${name}`);
  const wanted = raw.replace(/\\(.)/g, '$1');
  const caseFolded =
    !pool.caseSensitive && ['username', 'email', 'preferred_username'].includes(name);
  const fold = (value: string) => (caseFolded ? value.toLowerCase() : value);
  const fieldOf = (user: User) =>
    name === 'username'
      ? user.username
      : name === 'cognito:user_status'
        ? user.status
        : name === 'status'
          ? user.enabled
            ? 'Enabled'
            : 'Disabled'
          : user.attributes.get(name);
  return (user) => {
    const value = fieldOf(user);
    if (value === undefined) return false;
    return operator === '=' ? fold(value) === fold(wanted) : fold(value).startsWith(fold(wanted));
  };
}

// ---------------------------------------------------------------------------------------------
// Parameters and paging

function missing(name: string) {
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  return invalidParameter(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
}

function requiredString<T>(params: Params<T>, key: keyof T & string): string {
  const value = params[key];
  if (value === undefined || value === null || value === '') throw missing(key);
  if (typeof value !== 'string') throw invalidParameter(`${key} must be a string`);
  return value;
}

function optionalString<T>(params: Params<T>, key: keyof T & string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${key} must be a string`);
  return value;
}

function stringList<T>(params: Params<T>, key: keyof T & string): string[] {
  const value = params[key] ?? [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw invalidParameter(`${key} must be a list of strings`);
  return value as string[];
}

function objectList<T>(params: Params<T>, key: keyof T & string): Record<string, unknown>[] {
  const value = params[key] ?? [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null))
    throw invalidParameter(`${key} must be a list of objects`);
  return value as Record<string, unknown>[];
}

function stringMap<T>(params: Params<T>, key: keyof T & string): Record<string, string> {
  const value = params[key] ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidParameter(`${key} must be a map of strings`);
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, String(item)]));
}

/** `[{ Name, Value }]` as a map, in order. */
function attributeList<T>(params: Params<T>, key: keyof T & string): Map<string, string> {
  return new Map(
    objectList(params, key).map((attribute) => [
      String(attribute.Name ?? ''),
      String(attribute.Value ?? ''),
    ]),
  );
}

function authParameter(parameters: Record<string, string>, name: string): string {
  const value = parameters[name];
  if (value === undefined || value === '')
    throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

function pageSize<T>(params: Params<T>, key: keyof T & string, required: boolean): number {
  const value = params[key];
  if (value === undefined || value === null) {
    if (required) throw missing(key);
    return MAX_PAGE;
  }
  const size = Number(value);
  const member = key.charAt(0).toLowerCase() + key.slice(1);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE)
    throw invalidParameter(
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value between 1 and ${MAX_PAGE}`,
    );
  return size;
}

/** Items in creation order from the one the token names; tokens hold a sequence number. */
function page<T extends { seq: number }>(
  items: T[],
  limit: number,
  token: unknown,
): { items: T[]; next?: string } {
  let from = 0;
  if (token !== undefined && token !== null) {
    from = Number(Buffer.from(String(token), 'base64url').toString('utf8'));
    if (!Number.isInteger(from) || from <= 0) throw invalidParameter('Invalid pagination token.');
  }
  const remaining = items.filter((item) => item.seq >= from).sort((a, b) => a.seq - b.seq);
  const selected = remaining.slice(0, limit);
  const following = remaining[limit];
  return following
    ? { items: selected, next: Buffer.from(String(following.seq)).toString('base64url') }
    : { items: selected };
}

// ---------------------------------------------------------------------------------------------
// Small things

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length: number, alphabet: string): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

function epochSeconds(ms: number): number {
  return ms / 1000;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** How Cognito shows where a code went: `a***@e***` or `+*******1234`. */
function mask(destination: string): string {
  const [local, domain] = destination.split('@');
  if (domain !== undefined) return `${local?.charAt(0)}***@${domain.charAt(0)}***`;
  return `+${'*'.repeat(Math.max(destination.length - 5, 0))}${destination.slice(-4)}`;
}

// ---------------------------------------------------------------------------------------------
// HTTP

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_BODY_BYTES = 1024 * 1024;

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  pools: UserPools,
  publicEndpoint: () => string,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  const wellKnown = /^\/([^/]+)\/\.well-known\/(openid-configuration|jwks\.json)$/.exec(path);
  if (req.method === 'GET' && wellKnown) {
    const [, poolId = '', document] = wellKnown;
    const jwks = pools.jwks(poolId);
    if (!jwks) {
      sendJson(res, 404, { message: `User pool ${poolId} does not exist.` });
      return;
    }
    sendJson(res, 200, document === 'jwks.json' ? jwks : discovery(poolId, publicEndpoint()));
    return;
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
    sendAwsError(
      res,
      new CognitoError(
        'UnknownOperationException',
        `${req.method} ${path}${target ? ` (${target})` : ''} is not a Cognito user pools operation`,
      ),
    );
    return;
  }
  const actionName = target.slice(TARGET_PREFIX.length);
  const action = Object.hasOwn(pools.actions, actionName) ? pools.actions[actionName] : undefined;
  try {
    if (!action)
      throw new CognitoError(
        'UnknownOperationException',
        `${actionName} is not an operation the local Cognito emulates`,
      );
    const params = await readJson(req);
    const result = await action(params, signedRegion(req));
    send(res, 200, 'application/x-amz-json-1.1', result);
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    sendAwsError(res, error);
  }
}

/** The OpenID discovery document, limited to what exists locally (no hosted UI endpoints). */
function discovery(poolId: string, publicEndpoint: string) {
  return {
    issuer: issuerOf(poolId),
    jwks_uri: `${publicEndpoint}/${poolId}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'token'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
  };
}

/** The region in a SigV4 credential scope (`Credential=AKID/20261127/eu-west-1/cognito-idp/…`). */
function signedRegion(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  const scope =
    typeof authorization === 'string' ? /Credential=([^,\s]+)/.exec(authorization)?.[1] : undefined;
  return scope?.split('/')[2];
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new CognitoError('SerializationException', 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new CognitoError('SerializationException', 'The request body is not a JSON object');
  }
}

function sendAwsError(res: ServerResponse, error: CognitoError) {
  const status = error.code === 'InternalErrorException' ? 500 : 400;
  res.setHeader('x-amzn-ErrorType', error.code);
  send(res, status, 'application/x-amz-json-1.1', { __type: error.code, message: error.message });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  send(res, status, 'application/json', body);
}

function send(res: ServerResponse, status: number, contentType: string, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}
