import { requireEnv } from '@shop/aws-adapters';
import {
  commitReservation,
  recordThumbnail,
  releaseReservation,
  reserveStock,
} from '@shop/inventory-domain';
import { eventConsumer } from '@shop/lambda-sqs';
import { createInventoryDependencies } from '../../dependencies';

const deps = createInventoryDependencies();

/**
 * Every bus event inventory subscribes to (see `subscription.eventTypes` in serverless.yml).
 * Reserves stock on OrderCreated, gives it back on OrderCancelled, makes it final on
 * OrderConfirmed, and shows thumbnails on ThumbnailCreated. Every step is idempotent by its own
 * conditional writes.
 */
export const handler = eventConsumer({
  accept: ['OrderCreated', 'OrderCancelled', 'OrderConfirmed', 'ThumbnailCreated'],
  deadLetterQueueUrl: requireEnv('EVENTS_DLQ_URL'),
  handle: async (event) => {
    switch (event.eventType) {
      case 'OrderCreated':
        await reserveStock(deps, event);
        return;
      case 'OrderCancelled':
        await releaseReservation(deps, event);
        return;
      case 'OrderConfirmed':
        await commitReservation(deps, event);
        return;
      case 'ThumbnailCreated':
        await recordThumbnail(deps, event);
        return;
    }
  },
});
