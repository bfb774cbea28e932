import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProvisionedStack } from './provision';

/** A user in a `seed/<UserPoolLogicalId>.json` file. */
export interface SeedUser {
  /** Sign-in name; defaults to `email` (the username in a pool with `UsernameAttributes: [email]`). */
  username?: string;
  /** Set with `email_verified: true`, as if the user had confirmed it. */
  email?: string;
  /** Set as the permanent password: seeded users sign in without a challenge. */
  password: string;
  groups?: string[];
  /** Further attributes, e.g. `{ "name": "Ada" }`. */
  attributes?: Record<string, string>;
}

/**
 * Loads a service's seed data from `seed/<LogicalId>.json`, found by the logical id in the
 * service's template, so seed files never spell physical names:
 * - a DynamoDB table's file is an array of items, written to the table;
 * - a Cognito user pool's file is an array of {@link SeedUser}, created through the Cognito API
 *   (AdminCreateUser, AdminSetUserPassword, AdminAddUserToGroup) with permanent passwords.
 * Seeding again is harmless: items are overwritten, users get their password set again and are
 * added to their groups.
 *
 * `cognito` defaults to a client with the DynamoDB client's endpoint, region and credentials:
 * the local AWS endpoint serves both.
 *
 * @returns how many items went into each table, and users into each pool (by pool id).
 * @example
 * const clients = awsClients(gateway.endpoint, region);
 * await seedTables(service.dir, stack, clients.dynamodb, clients.cognito);
 */
export async function seedTables(
  serviceDir: string,
  stack: ProvisionedStack,
  dynamodb: DynamoDBClient,
  cognito?: CognitoIdentityProviderClient,
): Promise<Record<string, number>> {
  const seedDir = join(serviceDir, 'seed');
  if (!existsSync(seedDir)) return {};
  const counts: Record<string, number> = {};
  let userPools = cognito;
  for (const file of readdirSync(seedDir).filter((name) => name.endsWith('.json'))) {
    const path = join(seedDir, file);
    const logicalId = basename(file, '.json');
    const target = stack.resources.get(logicalId)?.ref;
    if (!target) throw new Error(`${path}: the template declares no ${logicalId}`);
    const entries = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!Array.isArray(entries)) throw new Error(`${path}: expected an array`);
    if (stack.resourceTypes.get(logicalId) === 'AWS::Cognito::UserPool') {
      userPools ??= cognitoLike(dynamodb);
      await seedUsers(
        userPools,
        target,
        entries.map((entry, index) => seedUser(entry, path, index)),
      );
    } else {
      await seedItems(dynamodb, target, entries as Record<string, unknown>[]);
    }
    counts[target] = entries.length;
  }
  return counts;
}

async function seedItems(
  dynamodb: DynamoDBClient,
  table: string,
  items: Record<string, unknown>[],
) {
  const documentClient = DynamoDBDocumentClient.from(dynamodb);
  for (let start = 0; start < items.length; start += 25) {
    const batch = items.slice(start, start + 25);
    let pending: Record<string, unknown>[] | undefined = batch.map((item) => ({
      PutRequest: { Item: item },
    }));
    while (pending && pending.length > 0) {
      const { UnprocessedItems } = await documentClient.send(
        new BatchWriteCommand({ RequestItems: { [table]: pending as never } }),
      );
      pending = UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
    }
  }
}

async function seedUsers(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  users: SeedUser[],
) {
  for (const user of users) {
    const username = user.username ?? user.email ?? '';
    const attributes = {
      ...(user.email ? { email: user.email, email_verified: 'true' } : {}),
      ...user.attributes,
    };
    try {
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          MessageAction: 'SUPPRESS',
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
    }
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: username,
        Password: user.password,
        Permanent: true,
      }),
    );
    for (const group of user.groups ?? []) {
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: userPoolId,
          Username: username,
          GroupName: group,
        }),
      );
    }
  }
}

function seedUser(entry: unknown, path: string, index: number): SeedUser {
  const user = entry as Partial<SeedUser> | null;
  const named = typeof user?.username === 'string' || typeof user?.email === 'string';
  if (!user || !named || typeof user.password !== 'string')
    throw new Error(`${path}[${index}]: a user needs "email" or "username", and "password"`);
  return user as SeedUser;
}

/** A Cognito client on the same endpoint, region and credentials as `client`. */
function cognitoLike(client: DynamoDBClient): CognitoIdentityProviderClient {
  const { endpoint, region, credentials } = client.config;
  return new CognitoIdentityProviderClient({ endpoint, region, credentials });
}
