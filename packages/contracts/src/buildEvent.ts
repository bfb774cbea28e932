import { randomUUID } from 'node:crypto';
import { type EventDataInput, type EventType, eventCatalogue } from './catalogue';
import type { ShopEvent } from './envelope';
import { ContractsValidationError } from './errors';
import { toIssues } from './issues';

export interface BuildEventOptions {
  correlationId: string;
  /** Defaults to a random UUID; pass one to make a retried publish carry the same id. */
  eventId?: string;
  /** Defaults to now. */
  occurredAt?: Date;
}

/**
 * Wraps a payload in the envelope after validating it, so a producer can never publish an event
 * its consumers would reject.
 *
 * @example
 * ```ts
 * const event = buildEvent('PaymentFailed', { orderId, reason: 'DECLINED', detail: 'Declined' },
 *   { correlationId });
 * ```
 * @throws ContractsValidationError naming the offending fields.
 */
export function buildEvent<T extends EventType>(
  eventType: T,
  data: EventDataInput<T>,
  options: BuildEventOptions,
): ShopEvent<T> {
  const definition = eventCatalogue[eventType];
  const parsed = definition.data.safeParse(data);
  if (!parsed.success) {
    throw new ContractsValidationError(
      `invalid ${eventType} v${definition.version}`,
      toIssues(parsed.error, { prefix: 'data' }),
    );
  }
  return {
    eventId: options.eventId ?? randomUUID(),
    eventType,
    version: definition.version,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    correlationId: options.correlationId,
    source: definition.source,
    data: parsed.data,
  } as ShopEvent<T>;
}
