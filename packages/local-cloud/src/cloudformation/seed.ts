import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProvisionedStack } from './provision';

/**
 * Loads a service's seed data: `seed/<TableLogicalId>.json` (an array of items) is written to the
 * table that logical id names in the service's template, so seed files never spell table names.
 *
 * @returns how many items went into each table.
 */
export async function seedTables(
  serviceDir: string,
  stack: ProvisionedStack,
  dynamodb: DynamoDBClient,
): Promise<Record<string, number>> {
  const seedDir = join(serviceDir, 'seed');
  if (!existsSync(seedDir)) return {};
  const documentClient = DynamoDBDocumentClient.from(dynamodb);
  const counts: Record<string, number> = {};
  for (const file of readdirSync(seedDir).filter((name) => name.endsWith('.json'))) {
    const logicalId = basename(file, '.json');
    const table = stack.resources.get(logicalId)?.ref;
    if (!table) throw new Error(`${join(seedDir, file)}: the template declares no ${logicalId}`);
    const items = JSON.parse(readFileSync(join(seedDir, file), 'utf8')) as Record<
      string,
      unknown
    >[];
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
    counts[table] = items.length;
  }
  return counts;
}
