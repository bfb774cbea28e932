import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../../cloudformation/template';
import { CognitoError, invalidParameter, notAuthorized } from './errors';
import type { SigningKey } from './tokens';

// The emulator's model (pools, clients, groups, users, codes), its rules, and the API's
// descriptions of it. No HTTP, no tokens.

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

export interface UserPool {
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

export interface User {
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

export interface PendingCode {
  code: string;
  purpose: 'signUp' | 'forgotPassword';
  expires: number;
  /** The attribute the code went to, verified when the code is confirmed. */
  attribute?: string;
}

export interface AppClient {
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

export interface Group {
  name: string;
  seq: number;
  description?: string;
  precedence?: number;
  roleArn?: string;
  created: number;
  modified: number;
}

/** What a refresh token stands for: the original sign-in, whose ids refreshed tokens keep. */
export interface RefreshGrant {
  poolId: string;
  clientId: string;
  username: string;
  authentication: Authentication;
  expires: number;
}

export interface Authentication {
  originJti: string;
  eventId: string;
  authTime: number;
}

export interface ChallengeSession {
  poolId: string;
  clientId: string;
  username: string;
  expires: number;
}

export const STANDARD_ATTRIBUTES: Record<string, 'String' | 'Boolean' | 'Number'> = {
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

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

export const SECONDS_PER_UNIT: Record<string, number> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86400,
};

// Cognito's password symbol set: https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
export const PASSWORD_SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Old ExplicitAuthFlows names, still accepted by AWS, and their ALLOW_ equivalents. */
export const LEGACY_AUTH_FLOWS: Record<string, string> = {
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  CUSTOM_AUTH_FLOW_ONLY: 'ALLOW_CUSTOM_AUTH',
};

export const MAX_PAGE = 60;
export const CODE_VALIDITY_MS = 24 * 3600 * 1000;
// ---------------------------------------------------------------------------------------------
// Descriptions (the API's response shapes; dates are epoch seconds, as the JSON protocol sends)

export function describePool(pool: UserPool) {
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

export function describeClient(pool: UserPool, client: AppClient) {
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

export function describeGroup(pool: UserPool, group: Group) {
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

export function describeUser(user: User) {
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

export const EMAIL = /^[^@\s]+@[^@\s]+$/;
export const PHONE = /^\+\d{4,15}$/;

export function usernameKey(pool: UserPool, username: string): string {
  return pool.caseSensitive ? username : username.toLowerCase();
}

/**
 * Finds a user by username or, where the pool allows, by email or phone number (username
 * attributes) or verified alias, as sign-in and the admin APIs do.
 */
export function findUser(pool: UserPool, name: string): User | undefined {
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

export function displayName(pool: UserPool, user: User): string {
  const attribute = pool.usernameAttributes[0];
  return (attribute && user.attributes.get(attribute)) || user.username;
}

export function contactOf(user: User): string | undefined {
  return user.attributes.get('email') ?? user.attributes.get('phone_number');
}

export function groupsOf(pool: UserPool, user: User): Group[] {
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

export function setPassword(user: User, password: string, status: UserStatus) {
  user.password = password;
  user.status = status;
  user.temporaryPasswordExpires = undefined;
  touch(user);
}

export function touch(user: User) {
  user.modified = Date.now();
}

export function checkAttributes(
  pool: UserPool,
  attributes: Map<string, string>,
  complete: boolean,
) {
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

export function passwordPolicy(policies: unknown): PasswordPolicy {
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

export function checkPassword(policy: PasswordPolicy, password: string) {
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
export function temporaryPassword(policy: PasswordPolicy): string {
  const body = randomAlphanumeric(Math.max(policy.MinimumLength, 12), ALPHANUMERIC);
  return `${body}aA1!`;
}

export function allowFlow(client: AppClient, allowed: string, flow: string) {
  const flows = client.explicitAuthFlows.map((name) => LEGACY_AUTH_FLOWS[name] ?? name);
  // Clients listing only legacy flows may always refresh, as on AWS.
  const legacyRefresh =
    allowed === 'ALLOW_REFRESH_TOKEN_AUTH' &&
    client.explicitAuthFlows.every((name) => name in LEGACY_AUTH_FLOWS);
  if (!flows.includes(allowed) && !legacyRefresh)
    throw invalidParameter(`${flow} flow not enabled for this client`);
}

export function unemulatedFlow(flow: string) {
  return invalidParameter(
    flow === 'USER_SRP_AUTH'
      ? 'USER_SRP_AUTH (Secure Remote Password) is not emulated locally: sign in with USER_PASSWORD_AUTH, which the app client must allow (ALLOW_USER_PASSWORD_AUTH)'
      : `${flow} is not emulated locally: sign in with USER_PASSWORD_AUTH`,
  );
}

export function preventsExistenceErrors(client: AppClient): boolean {
  return client.preventUserExistenceErrors === 'ENABLED';
}

/** SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)), required with a secret. */
export function checkSecretHash(client: AppClient, username: string, given: unknown) {
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

export function validitySeconds(
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
export function userFilter(pool: UserPool, filter: string): (user: User) => boolean {
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
// Small things

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlphanumeric(length: number, alphabet: string): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function epochSeconds(ms: number): number {
  return ms / 1000;
}

export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** How Cognito shows where a code went: `a***@e***` or `+*******1234`. */
export function mask(destination: string): string {
  const [local, domain] = destination.split('@');
  if (domain !== undefined) return `${local?.charAt(0)}***@${domain.charAt(0)}***`;
  return `+${'*'.repeat(Math.max(destination.length - 5, 0))}${destination.slice(-4)}`;
}
