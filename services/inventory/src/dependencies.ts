import { createDocumentClient, SnsEventPublisher } from '@shop/aws-adapters';
import type { InventoryDependencies } from '@shop/inventory-domain';
import { DynamoDbProductStore } from './adapters/DynamoDbProductStore';
import { DynamoDbReservationDecisions } from './adapters/DynamoDbReservationDecisions';

/** Reads a setting the function cannot run without, failing the cold start with a clear message. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value)
    throw new Error(`${name} is not set; it comes from services/inventory/serverless.yml`);
  return value;
}

/** The catalog alone, for the read-only HTTP functions. */
export function createCatalogDependencies(
  env: NodeJS.ProcessEnv = process.env,
): Pick<InventoryDependencies, 'products'> {
  return {
    products: new DynamoDbProductStore(createDocumentClient(), requireEnv('PRODUCTS_TABLE', env)),
  };
}

/** Catalog, stock and reservation decisions over DynamoDB; events to the bus. */
export function createInventoryDependencies(
  env: NodeJS.ProcessEnv = process.env,
): InventoryDependencies {
  const documentClient = createDocumentClient();
  return {
    products: new DynamoDbProductStore(documentClient, requireEnv('PRODUCTS_TABLE', env)),
    decisions: new DynamoDbReservationDecisions(
      documentClient,
      requireEnv('RESERVATIONS_TABLE', env),
    ),
    events: new SnsEventPublisher({ topicArn: requireEnv('EVENT_BUS_TOPIC_ARN', env) }),
  };
}
