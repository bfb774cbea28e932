import { createDocumentClient, requireEnv, SnsEventPublisher } from '@shop/aws-adapters';
import type { InventoryDependencies } from '@shop/inventory-domain';
import { DynamoDbProductStore } from './adapters/DynamoDbProductStore';
import { DynamoDbReservationDecisions } from './adapters/DynamoDbReservationDecisions';

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
