import { createDocumentClient, requireEnv, SnsEventPublisher } from '@shop/aws-adapters';
import type { Clock, InventoryDependencies } from '@shop/inventory-domain';
import { DynamoDbProductStore } from './adapters/DynamoDbProductStore';
import { DynamoDbReservationDecisions } from './adapters/DynamoDbReservationDecisions';

const systemClock: Clock = { now: () => new Date() };

/** The catalog alone, for the HTTP functions that read or edit products without publishing. */
export function createCatalogDependencies(
  env: NodeJS.ProcessEnv = process.env,
): Pick<InventoryDependencies, 'products' | 'clock'> {
  return {
    products: new DynamoDbProductStore(createDocumentClient(), requireEnv('PRODUCTS_TABLE', env)),
    clock: systemClock,
  };
}

/** The catalog and the bus, for stock adjustments: no reservation decisions. */
export function createStockDependencies(
  env: NodeJS.ProcessEnv = process.env,
): Pick<InventoryDependencies, 'products' | 'events' | 'clock'> {
  return {
    ...createCatalogDependencies(env),
    events: new SnsEventPublisher({ topicArn: requireEnv('EVENT_BUS_TOPIC_ARN', env) }),
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
    clock: systemClock,
  };
}
