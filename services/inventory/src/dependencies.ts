import {
  createDocumentClient,
  pageCursorKeyFromEnv,
  requireEnv,
  SnsEventPublisher,
} from '@shop/aws-adapters';
import type { Clock, InventoryDependencies } from '@shop/inventory-domain';
import { DynamoDbProductStore } from './adapters/DynamoDbProductStore';
import { DynamoDbReservationDecisions } from './adapters/DynamoDbReservationDecisions';

const systemClock: Clock = { now: () => new Date() };

/**
 * The products table. The page cursor key (PAGE_CURSOR_KEY or PAGE_CURSOR_SECRET_ID) is read only
 * when a listing issues or checks a cursor: the functions that never list have neither.
 */
function productStore(env: NodeJS.ProcessEnv, documentClient = createDocumentClient()) {
  return new DynamoDbProductStore(documentClient, requireEnv('PRODUCTS_TABLE', env), {
    cursorKey: pageCursorKeyFromEnv(env),
  });
}

/** The catalog alone, for the HTTP functions that read or edit products without publishing. */
export function createCatalogDependencies(
  env: NodeJS.ProcessEnv = process.env,
): Pick<InventoryDependencies, 'products' | 'clock'> {
  return {
    products: productStore(env),
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
    products: productStore(env, documentClient),
    decisions: new DynamoDbReservationDecisions(
      documentClient,
      requireEnv('RESERVATIONS_TABLE', env),
    ),
    events: new SnsEventPublisher({ topicArn: requireEnv('EVENT_BUS_TOPIC_ARN', env) }),
    clock: systemClock,
  };
}
