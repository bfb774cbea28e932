import type { EventData, EventType } from './catalogue';
import * as z from './zod';

/**
 * The envelope every event travels in. `data` is validated against the schema of
 * (`eventType`, `version`) by {@link parseEvent}.
 */
export const EventEnvelopeSchema = z.strictObject({
  eventId: z.uuid(),
  eventType: z.string().check(z.minLength(1)),
  version: z.number().check(z.int(), z.positive()),
  occurredAt: z.iso.datetime({ offset: true }),
  /** Follows one business flow across services, from the HTTP request to the last email. */
  correlationId: z.string().check(z.minLength(1), z.maxLength(128)),
  source: z.string().check(z.minLength(1)),
  data: z.unknown(),
});

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
