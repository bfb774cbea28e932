import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import {
  type AwsClients,
  awsClients,
  type ProvisionedStack,
  provisionStack,
} from '../../src/cloudformation/provision';
import { seedTables } from '../../src/cloudformation/seed';
import type { CfnTemplate } from '../../src/cloudformation/template';
import { type CognitoEmulator, issuerOf, startCognito } from '../../src/emulators/cognito';
import { freePort } from '../../src/net';

const REGION = 'eu-west-1';

/**
 * The Cognito part of services/identity's packaged template (`serverless package` output, stage
 * local), copied because `.serverless/` is not in the repository.
 */
const identityTemplate: CfnTemplate = {
  Resources: {
    UserPool: {
      Type: 'AWS::Cognito::UserPool',
      Properties: {
        UserPoolName: 'shop-users-local',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: false,
            TemporaryPasswordValidityDays: 7,
          },
        },
        Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        DeletionProtection: 'INACTIVE',
      },
    },
    UserPoolClient: {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: {
        ClientName: 'shop-app-local',
        UserPoolId: { Ref: 'UserPool' },
        GenerateSecret: false,
        ExplicitAuthFlows: [
          'ALLOW_USER_PASSWORD_AUTH',
          'ALLOW_USER_SRP_AUTH',
          'ALLOW_REFRESH_TOKEN_AUTH',
        ],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        IdTokenValidity: 60,
        AccessTokenValidity: 60,
        RefreshTokenValidity: 30,
        TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' },
      },
    },
    AdminGroup: {
      Type: 'AWS::Cognito::UserPoolGroup',
      Properties: {
        GroupName: 'admin',
        Description: 'Shop administrators',
        UserPoolId: { Ref: 'UserPool' },
      },
    },
  },
  Outputs: {
    UserPoolId: {
      Value: { Ref: 'UserPool' },
      Export: { Name: 'shop-identity-local-UserPoolId' },
    },
    IssuerUrl: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not JavaScript.
      Value: { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}' },
      Export: { Name: 'shop-identity-local-IssuerUrl' },
    },
    UserPoolClientId: {
      Value: { Ref: 'UserPoolClient' },
      Export: { Name: 'shop-identity-local-UserPoolClientId' },
    },
  },
};

describe('Function: provisionStack (Cognito resources)', () => {
  let emulator: CognitoEmulator;
  let clients: AwsClients;
  let stack: ProvisionedStack;

  beforeAll(async () => {
    emulator = await startCognito(await freePort());
    // Only the Cognito client is used: the template has nothing else.
    clients = awsClients(emulator.endpoint, REGION);
    stack = await provisionStack(identityTemplate, {
      stackName: 'shop-identity-local',
      region: REGION,
      clients,
      imports: new Map(),
    });
  });

  afterAll(async () => {
    for (const client of Object.values(clients)) client.destroy();
    await emulator.stop();
  });

  const userPoolId = () => stack.resources.get('UserPool')?.ref ?? '';

  it('creates the pool, its client and its group, and nothing is unsupported', () => {
    // Assess
    expect(stack.unsupported).toEqual([]);
    expect(stack.created).toEqual(
      expect.arrayContaining([
        'AWS::Cognito::UserPool UserPool',
        'AWS::Cognito::UserPoolClient UserPoolClient',
        'AWS::Cognito::UserPoolGroup AdminGroup',
      ]),
    );
    expect(stack.resourceTypes.get('UserPool')).toBe('AWS::Cognito::UserPool');
  });

  it('gives the pool Ref and attributes as CloudFormation does', () => {
    // Prepare
    const id = userPoolId();

    // Assess
    expect(id).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(stack.resources.get('UserPool')?.attributes).toEqual({
      Arn: `arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${id}`,
      ProviderName: `cognito-idp.eu-west-1.amazonaws.com/${id}`,
      ProviderURL: `https://cognito-idp.eu-west-1.amazonaws.com/${id}`,
      UserPoolId: id,
    });
    expect(stack.resources.get('AdminGroup')?.ref).toBe('admin');
  });

  it('exports the issuer the pool signs tokens with, and the client id', () => {
    // Assess
    const clientId = stack.resources.get('UserPoolClient')?.ref;
    expect(clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(stack.resources.get('UserPoolClient')?.attributes).toMatchObject({
      ClientId: clientId,
      Name: 'shop-app-local',
    });
    expect(Object.fromEntries(stack.exports)).toEqual({
      'shop-identity-local-UserPoolId': userPoolId(),
      'shop-identity-local-IssuerUrl': issuerOf(userPoolId()),
      'shop-identity-local-UserPoolClientId': clientId,
    });
  });

  it('passes the template properties to the Cognito API', async () => {
    // Act
    const { UserPool } = await clients.cognito.send(
      new DescribeUserPoolCommand({ UserPoolId: userPoolId() }),
    );
    const { UserPoolClient } = await clients.cognito.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: userPoolId(),
        ClientId: stack.resources.get('UserPoolClient')?.ref,
      }),
    );
    const { Group } = await clients.cognito.send(
      new GetGroupCommand({ UserPoolId: userPoolId(), GroupName: 'admin' }),
    );

    // Assess
    expect(UserPool).toMatchObject({
      Name: 'shop-users-local',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      DeletionProtection: 'INACTIVE',
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false } },
    });
    expect(UserPoolClient).toMatchObject({
      ClientName: 'shop-app-local',
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      PreventUserExistenceErrors: 'ENABLED',
      IdTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' },
    });
    expect(UserPoolClient?.ClientSecret).toBeUndefined();
    expect(Group?.Description).toBe('Shop administrators');
  });

  describe('Function: seedTables (user pools)', () => {
    let serviceDir: string;

    beforeEach(() => {
      serviceDir = mkdtempSync(join(tmpdir(), 'cognito-seed-'));
      mkdirSync(join(serviceDir, 'seed'));
    });

    afterEach(() => {
      rmSync(serviceDir, { recursive: true, force: true });
    });

    const writeSeed = (users: unknown) =>
      writeFileSync(join(serviceDir, 'seed', 'UserPool.json'), JSON.stringify(users));

    const signIn = (USERNAME: string, PASSWORD: string) =>
      clients.cognito.send(
        new InitiateAuthCommand({
          ClientId: stack.resources.get('UserPoolClient')?.ref,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME, PASSWORD },
        }),
      );

    it('creates confirmed users with verified emails and their groups', async () => {
      // Prepare
      writeSeed([
        { email: 'seed-ada@example.com', password: 'Ada-Lovelace-1815', groups: [] },
        { email: 'seed-admin@example.com', password: 'Shop-Admin-2026', groups: ['admin'] },
      ]);

      // Act
      const counts = await seedTables(serviceDir, stack, clients.dynamodb, clients.cognito);
      const { AuthenticationResult: admin } = await signIn(
        'seed-admin@example.com',
        'Shop-Admin-2026',
      );
      const { AuthenticationResult: ada } = await signIn(
        'seed-ada@example.com',
        'Ada-Lovelace-1815',
      );
      const user = await clients.cognito.send(
        new AdminGetUserCommand({ UserPoolId: userPoolId(), Username: 'seed-ada@example.com' }),
      );

      // Assess
      expect(counts).toEqual({ [userPoolId()]: 2 });
      expect(decodeJwt(admin?.IdToken ?? '')).toMatchObject({
        email: 'seed-admin@example.com',
        email_verified: true,
        'cognito:groups': ['admin'],
      });
      expect(decodeJwt(ada?.IdToken ?? '')).not.toHaveProperty('cognito:groups');
      expect(user.UserStatus).toBe('CONFIRMED');
      expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    });

    it('seeds again without failing, setting the password from the file', async () => {
      // Prepare
      writeSeed([{ email: 'seed-twice@example.com', password: 'First-Password-1' }]);
      await seedTables(serviceDir, stack, clients.dynamodb, clients.cognito);
      writeSeed([{ email: 'seed-twice@example.com', password: 'Second-Password-1' }]);

      // Act
      await seedTables(serviceDir, stack, clients.dynamodb, clients.cognito);

      // Assess
      await expect(signIn('seed-twice@example.com', 'Second-Password-1')).resolves.toHaveProperty(
        'AuthenticationResult.IdToken',
      );
    });

    it('reaches Cognito on the DynamoDB client endpoint when given no Cognito client', async () => {
      // Prepare
      writeSeed([{ email: 'seed-default@example.com', password: 'Default-Client-1' }]);

      // Act
      await seedTables(serviceDir, stack, clients.dynamodb);

      // Assess
      await expect(signIn('seed-default@example.com', 'Default-Client-1')).resolves.toHaveProperty(
        'AuthenticationResult.IdToken',
      );
    });

    it('names the file and entry of a user without a password', async () => {
      // Prepare
      writeSeed([{ email: 'no-password@example.com' }]);

      // Act
      const seeding = seedTables(serviceDir, stack, clients.dynamodb, clients.cognito);

      // Assess
      await expect(seeding).rejects.toThrow(/UserPool\.json\[0\]: .*"password"/);
    });
  });
});
