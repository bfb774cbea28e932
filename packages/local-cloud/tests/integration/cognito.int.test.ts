import { createHmac } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  ChangePasswordCommand,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  GroupExistsException,
  InitiateAuthCommand,
  InvalidParameterException,
  InvalidPasswordException,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  NotAuthorizedException,
  PasswordResetRequiredException,
  ResourceNotFoundException,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UserNotConfirmedException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import { type CognitoEmulator, issuerOf, startCognito } from '../../src/emulators/cognito';
import { freePort } from '../../src/net';

const REGION = 'eu-west-1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The error a promise rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

function cognitoClient(endpoint: string) {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

describe('Function: startCognito', () => {
  let emulator: CognitoEmulator;
  let cognito: CognitoIdentityProviderClient;
  const logged: string[] = [];
  /** A pool like the shop's: email sign-in, case-insensitive, password and refresh flows. */
  let shopPool: string;
  let shopClient: string;

  const createPool = async (input: Partial<CreateUserPoolCommandInput> = {}) => {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: 'test-pool', ...input }),
    );
    return UserPool?.Id ?? '';
  };

  const createClient = async (
    UserPoolId: string,
    input: Partial<CreateUserPoolClientCommandInput> = {},
  ) => {
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId,
        ClientName: 'test-app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        ...input,
      }),
    );
    return UserPoolClient?.ClientId ?? '';
  };

  /** A confirmed user with a permanent password, as an administrator makes one. */
  const createUser = async (
    UserPoolId: string,
    Username: string,
    Password: string,
    attributes: AttributeType[] = [],
  ) => {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username,
        MessageAction: 'SUPPRESS',
        UserAttributes: attributes,
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId, Username, Password, Permanent: true }),
    );
  };

  const signIn = (ClientId: string, USERNAME: string, PASSWORD: string) =>
    cognito.send(
      new InitiateAuthCommand({
        ClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME, PASSWORD },
      }),
    );

  const verify = async (token: string, poolId: string, audience?: string) => {
    const discovery = (await (
      await fetch(`${emulator.endpoint}/${poolId}/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string };
    const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload } = await jwtVerify(token, keys, {
      issuer: issuerOf(poolId),
      algorithms: ['RS256'],
      ...(audience ? { audience } : {}),
    });
    return payload;
  };

  beforeAll(async () => {
    emulator = await startCognito(await freePort(), { log: (line) => logged.push(line) });
    cognito = cognitoClient(emulator.endpoint);
    shopPool = await createPool({
      PoolName: 'shop-users-test',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
        },
      },
    });
    shopClient = await createClient(shopPool, {
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      PreventUserExistenceErrors: 'ENABLED',
    });
    await cognito.send(new CreateGroupCommand({ UserPoolId: shopPool, GroupName: 'admin' }));
  });

  afterAll(async () => {
    cognito.destroy();
    await emulator.stop();
  });

  describe('User pools and app clients', () => {
    it('creates a pool with an AWS-shaped id, ARN and the default password policy', async () => {
      // Act
      const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: 'defaults' }));
      const described = await cognito.send(
        new DescribeUserPoolCommand({ UserPoolId: UserPool?.Id }),
      );

      // Assess
      expect(UserPool?.Id).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
      expect(described.UserPool).toMatchObject({
        Id: UserPool?.Id,
        Name: 'defaults',
        Arn: `arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${UserPool?.Id}`,
        Policies: {
          PasswordPolicy: {
            MinimumLength: 8,
            RequireUppercase: true,
            RequireLowercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: 7,
          },
        },
        UsernameConfiguration: { CaseSensitive: true },
      });
      expect(described.UserPool?.CreationDate).toBeInstanceOf(Date);
    });

    it('answers ResourceNotFoundException for a pool that does not exist', async () => {
      // Act
      const error = await rejection(
        cognito.send(new DescribeUserPoolCommand({ UserPoolId: 'eu-west-1_NoSuchOne' })),
      );

      // Assess
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toBe('User pool eu-west-1_NoSuchOne does not exist.');
    });

    it('refuses to delete a pool with deletion protection, and deletes one without', async () => {
      // Prepare
      const protectedPool = await createPool({ DeletionProtection: 'ACTIVE' });
      const plainPool = await createPool();

      // Act
      const error = await rejection(
        cognito.send(new DeleteUserPoolCommand({ UserPoolId: protectedPool })),
      );
      await cognito.send(new DeleteUserPoolCommand({ UserPoolId: plainPool }));

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toMatch(/deletion protection is activated/);
      await expect(
        cognito.send(new DescribeUserPoolCommand({ UserPoolId: plainPool })),
      ).rejects.toBeInstanceOf(ResourceNotFoundException);
    });

    it('pages ListUserPools with MaxResults and NextToken', async () => {
      // Prepare: a fresh emulator, so only these pools are listed
      const own = await startCognito(await freePort());
      const client = cognitoClient(own.endpoint);
      try {
        const created: string[] = [];
        for (const name of ['one', 'two', 'three']) {
          const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: name }));
          created.push(UserPool?.Id ?? '');
        }

        // Act
        const first = await client.send(new ListUserPoolsCommand({ MaxResults: 2 }));
        const second = await client.send(
          new ListUserPoolsCommand({ MaxResults: 2, NextToken: first.NextToken }),
        );

        // Assess
        expect(first.UserPools?.map((pool) => pool.Name)).toEqual(['one', 'two']);
        expect(first.NextToken).toEqual(expect.any(String));
        expect(second.UserPools?.map((pool) => pool.Id)).toEqual([created[2]]);
        expect(second.NextToken).toBeUndefined();
      } finally {
        client.destroy();
        await own.stop();
      }
    });

    it('requires MaxResults on ListUserPools, as AWS does', async () => {
      // Act
      const error = await rejection(cognito.send(new ListUserPoolsCommand({} as never)));

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toMatch(/maxResults/);
    });

    it('pages ListUserPoolClients and describes a client', async () => {
      // Prepare
      const pool = await createPool();
      const ids = [
        await createClient(pool, { ClientName: 'a' }),
        await createClient(pool, { ClientName: 'b' }),
        await createClient(pool, { ClientName: 'c' }),
      ];

      // Act
      const first = await cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 2 }),
      );
      const second = await cognito.send(
        new ListUserPoolClientsCommand({
          UserPoolId: pool,
          MaxResults: 2,
          NextToken: first.NextToken,
        }),
      );
      const { UserPoolClient } = await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: ids[1] }),
      );

      // Assess
      for (const id of ids) expect(id).toMatch(/^[a-z0-9]{26}$/);
      expect(first.UserPoolClients?.map((client) => client.ClientName)).toEqual(['a', 'b']);
      expect(second.UserPoolClients?.map((client) => client.ClientId)).toEqual([ids[2]]);
      expect(second.NextToken).toBeUndefined();
      expect(UserPoolClient).toMatchObject({
        ClientId: ids[1],
        ClientName: 'b',
        UserPoolId: pool,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'LEGACY',
      });
      expect(UserPoolClient?.ClientSecret).toBeUndefined();
    });

    it('refuses token validities outside what AWS allows', async () => {
      // Act
      const error = await rejection(
        createClient(shopPool, {
          AccessTokenValidity: 1,
          TokenValidityUnits: { AccessToken: 'minutes' },
        }),
      );

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
    });
  });

  describe('Groups', () => {
    it('lists groups and refuses a duplicate name', async () => {
      // Prepare
      const pool = await createPool();
      await cognito.send(
        new CreateGroupCommand({
          UserPoolId: pool,
          GroupName: 'admin',
          Description: 'Administrators',
          Precedence: 1,
        }),
      );

      // Act
      const duplicate = await rejection(
        cognito.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'admin' })),
      );
      const { Groups } = await cognito.send(new ListGroupsCommand({ UserPoolId: pool }));

      // Assess
      expect(duplicate).toBeInstanceOf(GroupExistsException);
      expect(Groups).toEqual([
        expect.objectContaining({
          GroupName: 'admin',
          UserPoolId: pool,
          Description: 'Administrators',
          Precedence: 1,
        }),
      ]);
    });

    it('adds, lists and removes a user in a group, and refuses an unknown group', async () => {
      // Prepare
      await createUser(shopPool, 'groups@example.com', 'Groups-Password-1');

      // Act
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: shopPool,
          Username: 'groups@example.com',
          GroupName: 'admin',
        }),
      );
      const added = await cognito.send(
        new AdminListGroupsForUserCommand({ UserPoolId: shopPool, Username: 'groups@example.com' }),
      );
      await cognito.send(
        new AdminRemoveUserFromGroupCommand({
          UserPoolId: shopPool,
          Username: 'groups@example.com',
          GroupName: 'admin',
        }),
      );
      const removed = await cognito.send(
        new AdminListGroupsForUserCommand({ UserPoolId: shopPool, Username: 'groups@example.com' }),
      );
      const unknown = await rejection(
        cognito.send(
          new AdminAddUserToGroupCommand({
            UserPoolId: shopPool,
            Username: 'groups@example.com',
            GroupName: 'nope',
          }),
        ),
      );

      // Assess
      expect(added.Groups?.map((group) => group.GroupName)).toEqual(['admin']);
      expect(removed.Groups).toEqual([]);
      expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('Tokens', () => {
    it('signs ID and access tokens with Cognito claims, verifiable with the served JWKS', async () => {
      // Prepare
      await createUser(shopPool, 'grace@example.com', 'Grace-Hopper-1906', [
        { Name: 'email_verified', Value: 'true' },
      ]);
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: shopPool,
          Username: 'grace@example.com',
          GroupName: 'admin',
        }),
      );

      // Act
      const { AuthenticationResult: result } = await signIn(
        shopClient,
        'grace@example.com',
        'Grace-Hopper-1906',
      );
      const idToken = await verify(result?.IdToken ?? '', shopPool, shopClient);
      const accessToken = await verify(result?.AccessToken ?? '', shopPool);

      // Assess
      expect(result).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
      expect(result?.RefreshToken).toEqual(expect.any(String));
      expect(idToken).toEqual({
        sub: expect.stringMatching(UUID),
        'cognito:groups': ['admin'],
        email_verified: true,
        iss: `https://cognito-idp.eu-west-1.amazonaws.com/${shopPool}`,
        // Email sign-in: the username is the sub, as on AWS.
        'cognito:username': idToken.sub,
        origin_jti: expect.stringMatching(UUID),
        aud: shopClient,
        event_id: expect.stringMatching(UUID),
        token_use: 'id',
        auth_time: expect.any(Number),
        exp: expect.any(Number),
        iat: expect.any(Number),
        jti: expect.stringMatching(UUID),
        email: 'grace@example.com',
      });
      expect(accessToken).toEqual({
        sub: idToken.sub,
        'cognito:groups': ['admin'],
        iss: idToken.iss,
        client_id: shopClient,
        origin_jti: idToken.origin_jti,
        event_id: idToken.event_id,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: idToken.auth_time,
        exp: expect.any(Number),
        iat: expect.any(Number),
        jti: expect.stringMatching(UUID),
        username: idToken.sub,
      });
      expect(accessToken.jti).not.toBe(idToken.jti);
      const header = decodeProtectedHeader(result?.IdToken ?? '');
      expect(header).toEqual({ kid: emulator.jwks(shopPool)?.keys[0]?.kid, alg: 'RS256' });
    });

    it('serves the JWKS and discovery document, and gives the same keys in process', async () => {
      // Act
      const jwks = await (
        await fetch(`${emulator.endpoint}/${shopPool}/.well-known/jwks.json`)
      ).json();
      const discovery = await (
        await fetch(`${emulator.endpoint}/${shopPool}/.well-known/openid-configuration`)
      ).json();
      const unknown = await fetch(`${emulator.endpoint}/eu-west-1_Missing12/.well-known/jwks.json`);

      // Assess
      expect(jwks).toEqual({
        keys: [
          {
            alg: 'RS256',
            e: 'AQAB',
            kid: expect.any(String),
            kty: 'RSA',
            n: expect.any(String),
            use: 'sig',
          },
        ],
      });
      expect(emulator.jwks(shopPool)).toEqual(jwks);
      expect(discovery).toMatchObject({
        issuer: issuerOf(shopPool),
        jwks_uri: `${emulator.endpoint}/${shopPool}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
      expect(unknown.status).toBe(404);
      expect(emulator.jwks('eu-west-1_Missing12')).toBeUndefined();
    });

    it('puts the public endpoint it is given in jwks_uri', async () => {
      // Prepare
      const own = await startCognito(await freePort(), {
        publicEndpoint: 'http://127.0.0.1:1',
      });
      const client = cognitoClient(own.endpoint);
      try {
        const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: 'p' }));
        const document = () =>
          fetch(`${own.endpoint}/${UserPool?.Id}/.well-known/openid-configuration`).then(
            (response) => response.json() as Promise<{ jwks_uri: string }>,
          );

        // Act
        const fromOption = await document();
        own.setPublicEndpoint('http://127.0.0.1:4566/');
        const fromSetter = await document();

        // Assess
        expect(fromOption.jwks_uri).toBe(
          `http://127.0.0.1:1/${UserPool?.Id}/.well-known/jwks.json`,
        );
        expect(fromSetter.jwks_uri).toBe(
          `http://127.0.0.1:4566/${UserPool?.Id}/.well-known/jwks.json`,
        );
      } finally {
        client.destroy();
        await own.stop();
      }
    });

    it('leaves cognito:groups out for a user in no group', async () => {
      // Prepare
      await createUser(shopPool, 'nogroup@example.com', 'No-Group-Pass-1');

      // Act
      const { AuthenticationResult: result } = await signIn(
        shopClient,
        'nogroup@example.com',
        'No-Group-Pass-1',
      );

      // Assess
      const idToken = await verify(result?.IdToken ?? '', shopPool, shopClient);
      const accessToken = await verify(result?.AccessToken ?? '', shopPool);
      expect(idToken).not.toHaveProperty('cognito:groups');
      expect(accessToken).not.toHaveProperty('cognito:groups');
      expect(idToken.email_verified).toBe(false);
    });

    it('makes tokens last as the client says (exp - iat)', async () => {
      // Prepare
      const clientId = await createClient(shopPool, {
        IdTokenValidity: 5,
        AccessTokenValidity: 2,
        RefreshTokenValidity: 1,
        TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'hours', RefreshToken: 'days' },
      });
      await createUser(shopPool, 'validity@example.com', 'Validity-Pass-1');

      // Act
      const { AuthenticationResult: result } = await signIn(
        clientId,
        'validity@example.com',
        'Validity-Pass-1',
      );
      const idToken = await verify(result?.IdToken ?? '', shopPool, clientId);
      const accessToken = await verify(result?.AccessToken ?? '', shopPool);

      // Assess
      expect(Number(idToken.exp) - Number(idToken.iat)).toBe(300);
      expect(Number(accessToken.exp) - Number(accessToken.iat)).toBe(7200);
      expect(result?.ExpiresIn).toBe(7200);
    });

    it('defaults ID and access tokens to 60 minutes', async () => {
      // Prepare
      await createUser(shopPool, 'defaults@example.com', 'Defaults-Pass-1');

      // Act
      const { AuthenticationResult: result } = await signIn(
        shopClient,
        'defaults@example.com',
        'Defaults-Pass-1',
      );
      const idToken = await verify(result?.IdToken ?? '', shopPool, shopClient);

      // Assess
      expect(Number(idToken.exp) - Number(idToken.iat)).toBe(3600);
    });

    it('refreshes tokens from the same sign-in, without a new refresh token', async () => {
      // Prepare
      await createUser(shopPool, 'refresh@example.com', 'Refresh-Pass-1');
      const { AuthenticationResult: first } = await signIn(
        shopClient,
        'refresh@example.com',
        'Refresh-Pass-1',
      );

      // Act
      const { AuthenticationResult: refreshed } = await cognito.send(
        new InitiateAuthCommand({
          ClientId: shopClient,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: first?.RefreshToken ?? '' },
        }),
      );
      const forged = await rejection(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: shopClient,
            AuthFlow: 'REFRESH_TOKEN',
            AuthParameters: { REFRESH_TOKEN: 'not-a-token' },
          }),
        ),
      );

      // Assess
      expect(refreshed?.RefreshToken).toBeUndefined();
      const before = await verify(first?.IdToken ?? '', shopPool, shopClient);
      const after = await verify(refreshed?.IdToken ?? '', shopPool, shopClient);
      expect(after.origin_jti).toBe(before.origin_jti);
      expect(after.sub).toBe(before.sub);
      expect(after.jti).not.toBe(before.jti);
      expect(forged).toBeInstanceOf(NotAuthorizedException);
      expect(forged.message).toBe('Invalid Refresh Token');
    });

    it('answers GetUser for an access token and refuses an ID token', async () => {
      // Prepare
      await createUser(shopPool, 'getuser@example.com', 'Get-User-Pass-1');
      const { AuthenticationResult: result } = await signIn(
        shopClient,
        'getuser@example.com',
        'Get-User-Pass-1',
      );

      // Act
      const user = await cognito.send(new GetUserCommand({ AccessToken: result?.AccessToken }));
      const withIdToken = await rejection(
        cognito.send(new GetUserCommand({ AccessToken: result?.IdToken })),
      );

      // Assess
      expect(user.Username).toMatch(UUID);
      expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: 'getuser@example.com' });
      expect(user.UserAttributes).toContainEqual({ Name: 'sub', Value: user.Username });
      expect(withIdToken).toBeInstanceOf(NotAuthorizedException);
    });
  });

  describe('Sign-in', () => {
    it('signs in with a plain username where the pool has no username attributes', async () => {
      // Prepare
      const pool = await createPool();
      const clientId = await createClient(pool);
      await createUser(pool, 'ada', 'Ada-Lovelace-1815!');

      // Act
      const { AuthenticationResult: result } = await signIn(clientId, 'ada', 'Ada-Lovelace-1815!');
      const differentCase = await rejection(signIn(clientId, 'ADA', 'Ada-Lovelace-1815!'));

      // Assess
      const idToken = await verify(result?.IdToken ?? '', pool, clientId);
      expect(idToken['cognito:username']).toBe('ada');
      expect(differentCase).toBeInstanceOf(UserNotFoundException);
    });

    it('finds users by email regardless of case in a case-insensitive pool', async () => {
      // Prepare
      await createUser(shopPool, 'mixed@example.com', 'Mixed-Case-Pass-1');

      // Act
      const { AuthenticationResult: result } = await signIn(
        shopClient,
        'MIXED@Example.COM',
        'Mixed-Case-Pass-1',
      );
      const duplicate = await rejection(
        cognito.send(
          new AdminCreateUserCommand({ UserPoolId: shopPool, Username: 'Mixed@example.com' }),
        ),
      );

      // Assess
      expect(result?.IdToken).toEqual(expect.any(String));
      expect(duplicate).toBeInstanceOf(UsernameExistsException);
    });

    it('refuses a wrong password with NotAuthorizedException', async () => {
      // Prepare
      await createUser(shopPool, 'wrong@example.com', 'Right-Password-1');

      // Act
      const error = await rejection(signIn(shopClient, 'wrong@example.com', 'Wrong-Password-1'));

      // Assess
      expect(error).toBeInstanceOf(NotAuthorizedException);
      expect(error.message).toBe('Incorrect username or password.');
    });

    it('hides unknown users when PreventUserExistenceErrors is ENABLED, and not otherwise', async () => {
      // Prepare
      const legacyClient = await createClient(shopPool);

      // Act
      const hidden = await rejection(signIn(shopClient, 'nobody@example.com', 'Any-Password-1'));
      const told = await rejection(signIn(legacyClient, 'nobody@example.com', 'Any-Password-1'));

      // Assess
      expect(hidden).toBeInstanceOf(NotAuthorizedException);
      expect(hidden.message).toBe('Incorrect username or password.');
      expect(told).toBeInstanceOf(UserNotFoundException);
      expect(told.message).toBe('User does not exist.');
    });

    it('refuses USER_PASSWORD_AUTH when the client does not allow it', async () => {
      // Prepare
      const srpOnly = await createClient(shopPool, {
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      });
      await createUser(shopPool, 'srp@example.com', 'Srp-Only-Pass-1');

      // Act
      const error = await rejection(signIn(srpOnly, 'srp@example.com', 'Srp-Only-Pass-1'));

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toBe('USER_PASSWORD_AUTH flow not enabled for this client');
    });

    it('says SRP is not emulated and points to USER_PASSWORD_AUTH', async () => {
      // Act
      const error = await rejection(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: shopClient,
            AuthFlow: 'USER_SRP_AUTH',
            AuthParameters: { USERNAME: 'x@example.com', SRP_A: 'abc' },
          }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toMatch(/not emulated locally.*USER_PASSWORD_AUTH/);
    });

    it('signs in through AdminInitiateAuth only when the client allows the admin flow', async () => {
      // Prepare
      const adminClient = await createClient(shopPool, {
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      });
      await createUser(shopPool, 'admin-flow@example.com', 'Admin-Flow-Pass-1');
      const adminAuth = (ClientId: string) =>
        cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: shopPool,
            ClientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'admin-flow@example.com', PASSWORD: 'Admin-Flow-Pass-1' },
          }),
        );

      // Act
      const { AuthenticationResult: result } = await adminAuth(adminClient);
      const refused = await rejection(adminAuth(shopClient));

      // Assess
      expect(result?.AccessToken).toEqual(expect.any(String));
      expect(refused).toBeInstanceOf(InvalidParameterException);
    });

    it('requires a SECRET_HASH from a client with a secret', async () => {
      // Prepare
      const pool = await createPool();
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool,
          ClientName: 'server',
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      const clientId = UserPoolClient?.ClientId ?? '';
      await createUser(pool, 'server', 'Server-Pass-1!');
      const secretHash = createHmac('sha256', UserPoolClient?.ClientSecret ?? '')
        .update(`server${clientId}`)
        .digest('base64');

      // Act
      const withoutHash = await rejection(signIn(clientId, 'server', 'Server-Pass-1!'));
      const { AuthenticationResult: result } = await cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: {
            USERNAME: 'server',
            PASSWORD: 'Server-Pass-1!',
            SECRET_HASH: secretHash,
          },
        }),
      );

      // Assess
      expect(withoutHash).toBeInstanceOf(NotAuthorizedException);
      expect(result?.IdToken).toEqual(expect.any(String));
    });

    it('refuses a disabled user and a user whose password must be reset', async () => {
      // Prepare
      await createUser(shopPool, 'disabled@example.com', 'Disabled-Pass-1');
      await createUser(shopPool, 'reset@example.com', 'Reset-Pass-1', [
        { Name: 'email_verified', Value: 'true' },
      ]);
      await cognito.send(
        new AdminDisableUserCommand({ UserPoolId: shopPool, Username: 'disabled@example.com' }),
      );
      await cognito.send(
        new AdminResetUserPasswordCommand({ UserPoolId: shopPool, Username: 'reset@example.com' }),
      );

      // Act
      const disabled = await rejection(
        signIn(shopClient, 'disabled@example.com', 'Disabled-Pass-1'),
      );
      const reset = await rejection(signIn(shopClient, 'reset@example.com', 'Reset-Pass-1'));

      // Assess
      expect(disabled).toBeInstanceOf(NotAuthorizedException);
      expect(disabled.message).toBe('User is disabled.');
      expect(reset).toBeInstanceOf(PasswordResetRequiredException);
    });
  });

  describe('Sign-up and passwords', () => {
    it('confirms a signed-up user with the code sent, then lets them sign in', async () => {
      // Prepare
      const email = 'signup@example.com';

      // Act
      const signedUp = await cognito.send(
        new SignUpCommand({ ClientId: shopClient, Username: email, Password: 'Sign-Up-Pass-1' }),
      );
      const { UserStatus: before } = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: shopPool, Username: email }),
      );
      const unconfirmed = await rejection(signIn(shopClient, email, 'Sign-Up-Pass-1'));
      const code = emulator.confirmationCode(shopPool, email) ?? '';
      const wrongCode = await rejection(
        cognito.send(
          new ConfirmSignUpCommand({
            ClientId: shopClient,
            Username: email,
            ConfirmationCode: code === '000000' ? '111111' : '000000',
          }),
        ),
      );
      await cognito.send(
        new ConfirmSignUpCommand({ ClientId: shopClient, Username: email, ConfirmationCode: code }),
      );
      const after = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: shopPool, Username: email }),
      );
      const { AuthenticationResult: result } = await signIn(shopClient, email, 'Sign-Up-Pass-1');

      // Assess
      expect(signedUp).toMatchObject({
        UserConfirmed: false,
        UserSub: expect.stringMatching(UUID),
        CodeDeliveryDetails: {
          DeliveryMedium: 'EMAIL',
          AttributeName: 'email',
          Destination: 's***@e***',
        },
      });
      expect(before).toBe('UNCONFIRMED');
      expect(unconfirmed).toBeInstanceOf(UserNotConfirmedException);
      expect(unconfirmed.message).toBe('User is not confirmed.');
      expect(code).toMatch(/^\d{6}$/);
      expect(logged.some((line) => line.includes(email) && line.includes(code))).toBe(true);
      expect(wrongCode).toBeInstanceOf(CodeMismatchException);
      expect(after.UserStatus).toBe('CONFIRMED');
      expect(after.Username).toBe(signedUp.UserSub);
      expect(after.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
      expect(result?.IdToken).toEqual(expect.any(String));
    });

    it('refuses a second sign-up with the same email', async () => {
      // Prepare
      await cognito.send(
        new SignUpCommand({
          ClientId: shopClient,
          Username: 'twice@example.com',
          Password: 'Sign-Up-Pass-1',
        }),
      );

      // Act
      const error = await rejection(
        cognito.send(
          new SignUpCommand({
            ClientId: shopClient,
            Username: 'TWICE@example.com',
            Password: 'Sign-Up-Pass-1',
          }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(UsernameExistsException);
    });

    it('requires an email as username in an email sign-in pool', async () => {
      // Act
      const error = await rejection(
        cognito.send(
          new SignUpCommand({
            ClientId: shopClient,
            Username: 'plain',
            Password: 'Sign-Up-Pass-1',
          }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toBe('Username should be an email.');
    });

    it('enforces the pool password policy', async () => {
      // Prepare
      await createUser(shopPool, 'policy@example.com', 'Policy-Pass-1');

      // Act
      const tooShort = await rejection(
        cognito.send(
          new SignUpCommand({
            ClientId: shopClient,
            Username: 'short@example.com',
            Password: 'Ab1-',
          }),
        ),
      );
      const noUppercase = await rejection(
        cognito.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: shopPool,
            Username: 'policy@example.com',
            Password: 'lowercase-only-1',
            Permanent: true,
          }),
        ),
      );
      // The shop's policy does not require symbols.
      await cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: shopPool,
          Username: 'policy@example.com',
          Password: 'NoSymbolsHere1',
          Permanent: true,
        }),
      );

      // Assess
      expect(tooShort).toBeInstanceOf(InvalidPasswordException);
      expect(tooShort.message).toBe(
        'Password did not conform with policy: Password not long enough',
      );
      expect(noUppercase).toBeInstanceOf(InvalidPasswordException);
      expect(noUppercase.message).toBe(
        'Password did not conform with policy: Password must have uppercase characters',
      );
      const { AuthenticationResult: result } = await signIn(
        shopClient,
        'policy@example.com',
        'NoSymbolsHere1',
      );
      expect(result?.IdToken).toEqual(expect.any(String));
    });

    it('requires symbols under the default policy', async () => {
      // Prepare
      const pool = await createPool();
      const clientId = await createClient(pool);

      // Act
      const error = await rejection(
        cognito.send(
          new SignUpCommand({ ClientId: clientId, Username: 'u', Password: 'Abcdefg1' }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(InvalidPasswordException);
      expect(error.message).toMatch(/symbol characters/);
    });

    it('asks a user with a temporary password for a new one (NEW_PASSWORD_REQUIRED)', async () => {
      // Prepare
      const email = 'invited@example.com';
      const { User } = await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: shopPool,
          Username: email,
          TemporaryPassword: 'Temporary-Pass-1',
          MessageAction: 'SUPPRESS',
        }),
      );

      // Act
      const challenge = await signIn(shopClient, email, 'Temporary-Pass-1');
      const badSession = await rejection(
        cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: shopClient,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: 'forged',
            ChallengeResponses: { USERNAME: email, NEW_PASSWORD: 'Permanent-Pass-1' },
          }),
        ),
      );
      const { AuthenticationResult: result } = await cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: shopClient,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: 'Permanent-Pass-1' },
        }),
      );
      const after = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: shopPool, Username: email }),
      );

      // Assess
      expect(User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
      expect(challenge.AuthenticationResult).toBeUndefined();
      expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
      expect(challenge.Session).toEqual(expect.any(String));
      expect(challenge.ChallengeParameters?.USER_ID_FOR_SRP).toBe(User?.Username);
      expect(badSession).toBeInstanceOf(NotAuthorizedException);
      expect(result?.RefreshToken).toEqual(expect.any(String));
      expect(after.UserStatus).toBe('CONFIRMED');
      await expect(signIn(shopClient, email, 'Permanent-Pass-1')).resolves.toHaveProperty(
        'AuthenticationResult.IdToken',
      );
    });

    it('resets a forgotten password with the code sent', async () => {
      // Prepare
      const email = 'forgot@example.com';
      await createUser(shopPool, email, 'Forgotten-Pass-1', [
        { Name: 'email_verified', Value: 'true' },
      ]);

      // Act
      await cognito.send(new ForgotPasswordCommand({ ClientId: shopClient, Username: email }));
      await cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: shopClient,
          Username: email,
          ConfirmationCode: emulator.confirmationCode(shopPool, email),
          Password: 'Remembered-Pass-1',
        }),
      );

      // Assess
      await expect(signIn(shopClient, email, 'Forgotten-Pass-1')).rejects.toBeInstanceOf(
        NotAuthorizedException,
      );
      await expect(signIn(shopClient, email, 'Remembered-Pass-1')).resolves.toHaveProperty(
        'AuthenticationResult.IdToken',
      );
    });

    it('changes a password with an access token and the previous password', async () => {
      // Prepare
      const email = 'change@example.com';
      await createUser(shopPool, email, 'Change-Pass-Old-1');
      const { AuthenticationResult: result } = await signIn(shopClient, email, 'Change-Pass-Old-1');

      // Act
      const wrongPrevious = await rejection(
        cognito.send(
          new ChangePasswordCommand({
            AccessToken: result?.AccessToken,
            PreviousPassword: 'Not-The-Old-One-1',
            ProposedPassword: 'Change-Pass-New-1',
          }),
        ),
      );
      await cognito.send(
        new ChangePasswordCommand({
          AccessToken: result?.AccessToken,
          PreviousPassword: 'Change-Pass-Old-1',
          ProposedPassword: 'Change-Pass-New-1',
        }),
      );

      // Assess
      expect(wrongPrevious).toBeInstanceOf(NotAuthorizedException);
      await expect(signIn(shopClient, email, 'Change-Pass-New-1')).resolves.toHaveProperty(
        'AuthenticationResult.IdToken',
      );
    });
  });

  describe('Users', () => {
    it('filters ListUsers by email and by username', async () => {
      // Prepare
      await createUser(shopPool, 'findme@example.com', 'Find-Me-Pass-1');
      const { UserAttributes = [] } = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: shopPool, Username: 'findme@example.com' }),
      );
      const sub = UserAttributes.find((attribute) => attribute.Name === 'sub')?.Value;

      // Act
      const byEmail = await cognito.send(
        new ListUsersCommand({ UserPoolId: shopPool, Filter: 'email = "FindMe@example.com"' }),
      );
      const byUsername = await cognito.send(
        new ListUsersCommand({ UserPoolId: shopPool, Filter: `username = "${sub}"` }),
      );
      const byPrefix = await cognito.send(
        new ListUsersCommand({ UserPoolId: shopPool, Filter: 'email ^= "findm"' }),
      );
      const malformed = await rejection(
        cognito.send(new ListUsersCommand({ UserPoolId: shopPool, Filter: 'email is findme' })),
      );

      // Assess
      expect(byEmail.Users?.map((user) => user.Username)).toEqual([sub]);
      expect(byUsername.Users?.map((user) => user.Username)).toEqual([sub]);
      expect(byPrefix.Users?.map((user) => user.Username)).toEqual([sub]);
      expect(byEmail.Users?.[0]).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED' });
      expect(malformed).toBeInstanceOf(InvalidParameterException);
    });

    it('pages ListUsers with Limit and PaginationToken', async () => {
      // Prepare
      const pool = await createPool();
      for (const name of ['u1', 'u2', 'u3']) await createUser(pool, name, 'Paging-Pass-1!');

      // Act
      const first = await cognito.send(new ListUsersCommand({ UserPoolId: pool, Limit: 2 }));
      const second = await cognito.send(
        new ListUsersCommand({
          UserPoolId: pool,
          Limit: 2,
          PaginationToken: first.PaginationToken,
        }),
      );

      // Assess
      expect(first.Users?.map((user) => user.Username)).toEqual(['u1', 'u2']);
      expect(second.Users?.map((user) => user.Username)).toEqual(['u3']);
      expect(second.PaginationToken).toBeUndefined();
    });

    it('deletes a user', async () => {
      // Prepare
      await createUser(shopPool, 'deleted@example.com', 'Deleted-Pass-1');

      // Act
      await cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: shopPool, Username: 'deleted@example.com' }),
      );
      const error = await rejection(
        cognito.send(
          new AdminGetUserCommand({ UserPoolId: shopPool, Username: 'deleted@example.com' }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(UserNotFoundException);
      expect(error.message).toBe('User does not exist.');
    });

    it('refuses attributes the schema does not know', async () => {
      // Act
      const error = await rejection(
        cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: shopPool,
            Username: 'schema@example.com',
            UserAttributes: [{ Name: 'custom:tier', Value: 'gold' }],
          }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toMatch(/custom:tier/);
    });
  });

  describe('Wire protocol', () => {
    const post = (target: string, body: unknown) =>
      fetch(emulator.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}`,
        },
        body: JSON.stringify(body),
      });

    it('answers errors with x-amzn-ErrorType and a __type body', async () => {
      // Act
      const response = await post('InitiateAuth', {
        ClientId: shopClient,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'nobody@example.com', PASSWORD: 'x' },
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(await response.json()).toEqual({
        __type: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
    });

    it('names an unknown action in an UnknownOperationException', async () => {
      // Act
      const response = await post('FlyToTheMoon', {});
      const body = (await response.json()) as JWTPayload;

      // Assess
      expect(response.status).toBe(400);
      expect(body.__type).toBe('UnknownOperationException');
      expect(body.message).toMatch(/FlyToTheMoon/);
    });

    it('answers a body that is not JSON with SerializationException', async () => {
      // Act
      const response = await fetch(emulator.endpoint, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPools' },
        body: '{not json',
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
    });
  });
});
