import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { parse } from 'yaml';

/** What of a table's declaration DynamoDB needs to create it: keys, attributes, indexes. */
const SHAPE_PROPERTIES = [
  'AttributeDefinitions',
  'KeySchema',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
] as const;

/**
 * A DynamoDB table as a service's `serverless.yml` declares it (resource `logicalId`), under
 * another name: what an adapter's integration test creates, so the test's table cannot drift from
 * the one that deploys. Only the shape is taken (keys, attribute types, indexes); the table is
 * on-demand. Throws when the resource is missing, is not a table, or its shape holds a variable.
 *
 * @example
 * await startDynamoDbForTests([declaredTable(SERVICE_DIR, 'OrdersTable', 'orders-int')]);
 */
export function declaredTable(
  serviceDir: string,
  logicalId: string,
  tableName: string,
): CreateTableCommandInput {
  const file = join(serviceDir, 'serverless.yml');
  // CloudFormation's short forms (!Ref, !GetAtt…) are tags yaml does not know: they parse as
  // plain values, which a table's shape never holds.
  const config = parse(readFileSync(file, 'utf8'), { logLevel: 'silent' }) as {
    resources?: unknown;
  };
  const resource = resourcesOf(config.resources)[logicalId] as
    | { Type?: string; Properties?: Record<string, unknown> }
    | undefined;
  if (!resource) throw new Error(`${file} declares no resource ${logicalId}`);
  if (resource.Type !== 'AWS::DynamoDB::Table')
    throw new Error(`${file}: ${logicalId} is a ${resource.Type}, not a DynamoDB table`);
  const shape = Object.fromEntries(
    SHAPE_PROPERTIES.filter((name) => resource.Properties?.[name] !== undefined).map((name) => [
      name,
      resource.Properties?.[name],
    ]),
  );
  if (JSON.stringify(shape).includes('${'))
    throw new Error(`${file}: the keys or indexes of ${logicalId} hold a variable`);
  return { ...shape, TableName: tableName, BillingMode: 'PAY_PER_REQUEST' };
}

/** `resources:` is one block or a list of blocks (some of them `${file(...)}` includes). */
function resourcesOf(resources: unknown): Record<string, unknown> {
  const blocks = Array.isArray(resources) ? resources : [resources];
  return Object.assign(
    {},
    ...blocks.map((block) =>
      block && typeof block === 'object' && 'Resources' in block
        ? (block as { Resources: Record<string, unknown> }).Resources
        : {},
    ),
  );
}
