import type { EventDefinition } from './defineEvent';
import {
  InventoryReservationFailed,
  InventoryReserved,
  InventoryUpdated,
} from './events/inventory';
import { ThumbnailCreated } from './events/media';
import { OrderCancelled, OrderConfirmed, OrderCreated } from './events/order';
import { PaymentFailed, PaymentProcessed, PaymentRefunded } from './events/payment';
import type * as z from './zod';

/**
 * Every event of the choreography, in the order a happy order meets them.
 *
 * | event                      | producer  | consumers                          |
 * |----------------------------|-----------|------------------------------------|
 * | OrderCreated               | order     | inventory, payment                 |
 * | InventoryReserved          | inventory | order                              |
 * | InventoryReservationFailed | inventory | order                              |
 * | InventoryUpdated           | inventory | analytics                          |
 * | PaymentProcessed           | payment   | order, notification                |
 * | PaymentFailed              | payment   | order                              |
 * | OrderConfirmed             | order     | notification, analytics            |
 * | OrderCancelled             | order     | inventory, payment, notification, analytics |
 * | PaymentRefunded            | payment   | (audit)                            |
 * | ThumbnailCreated           | thumbnail | inventory                          |
 */
export const eventCatalogue = {
  OrderCreated,
  InventoryReserved,
  InventoryReservationFailed,
  InventoryUpdated,
  PaymentProcessed,
  PaymentFailed,
  OrderConfirmed,
  OrderCancelled,
  PaymentRefunded,
  ThumbnailCreated,
} as const;

type Catalogue = typeof eventCatalogue;

/** Name of an event in the catalogue. */
export type EventType = keyof Catalogue;

/** Payload (`data`) of an event, as consumers see it after parsing. */
export type EventData<T extends EventType> = z.output<Catalogue[T]['data']>;

/** Payload of an event as a producer may write it (before defaults). */
export type EventDataInput<T extends EventType> = z.input<Catalogue[T]['data']>;

export const eventTypes = Object.keys(eventCatalogue) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventCatalogue, value);
}

/** All definitions, e.g. to render docs or run contract tests over every example. */
export const eventDefinitions: readonly EventDefinition[] = Object.values(eventCatalogue);
