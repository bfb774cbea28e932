import { z } from 'zod';
import type { EventData, EventType } from './catalogue';

/**
 * The envelope every event travels in. `data` is validated against the schema of
 * (`eventType`, `version`) by {@link parseEvent}.
 */
export const EventEnvelopeSchema = z
  .object({
    eventId: z.uuid(),
    eventType: z.string().min(1),
    version: z.number().int().positive(),
    occurredAt: z.iso.datetime({ offset: true }),
    /** Follows one business flow across services, from the HTTP request to the last email. */
    correlationId: z.string().min(1).max(128),
    source: z.string().min(1),
    data: z.unknown(),
  })
  .strict();

/** A parsed event of type `T`; a union over every type when `T` is left out. */
export type ShopEvent<T extends EventType = EventType> = {
  [K in T]: {
    eventId: string;
    eventType: K;
    version: number;
    occurredAt: string;
    correlationId: string;
    source: string;
    data: EventData<K>;
  };
}[T];
