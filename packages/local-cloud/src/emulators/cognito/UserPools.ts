import { randomBytes, randomInt, randomUUID } from 'node:crypto';
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
import type { JSONWebKeySet } from 'jose';
import {
  CognitoError,
  codeMismatch,
  invalidParameter,
  notAuthorized,
  userNotFound,
  wrongPassword,
} from './errors';
import {
  attributeList,
  authParameter,
  missing,
  objectList,
  optionalString,
  type Params,
  page,
  pageSize,
  requiredString,
  stringList,
  stringMap,
} from './requestParams';
import {
  ALPHANUMERIC,
  type AppClient,
  type Authentication,
  allowFlow,
  type ChallengeSession,
  CODE_VALIDITY_MS,
  checkAttributes,
  checkPassword,
  checkSecretHash,
  contactOf,
  describeClient,
  describeGroup,
  describePool,
  describeUser,
  displayName,
  EMAIL,
  epochSeconds,
  findUser,
  type Group,
  groupsOf,
  isFalse,
  isTrue,
  LEGACY_AUTH_FLOWS,
  LOWER_ALPHANUMERIC,
  mask,
  type PendingCode,
  PHONE,
  passwordPolicy,
  preventsExistenceErrors,
  type RefreshGrant,
  randomAlphanumeric,
  STANDARD_ATTRIBUTES,
  safeEqual,
  setPassword,
  temporaryPassword,
  touch,
  type User,
  type UserPool,
  unemulatedFlow,
  userFilter,
  usernameKey,
  validitySeconds,
} from './state';
import { accessTokenUsername, poolIdOfToken, signingKey, signTokens } from './tokens';

// The Cognito actions, on the state of every pool, by action name.

export type Action = (params: Record<string, unknown>, signedRegion: string | undefined) => unknown;

export class UserPools {
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
    const result = await signTokens(pool, client, user, signIn, now);
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
    const pool = this.pools.get(poolIdOfToken(token) ?? '');
    if (!pool) throw notAuthorized('Invalid Access Token');
    const username = await accessTokenUsername(pool, token);
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
