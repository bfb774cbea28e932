import type { EventType, ShopEvent } from '@shop/contracts';

/**
 * The events analytics learns from; the consumer's `accept` list and its queue's filter policy.
 *
 * @example
 * ```ts
 * eventConsumer({ accept: ANALYTICS_EVENT_TYPES, handle: (event) => recordEvent(deps, event) });
 * ```
 */
export const ANALYTICS_EVENT_TYPES = [
  'InventoryUpdated',
  'OrderConfirmed',
  'OrderCancelled',
] as const satisfies readonly EventType[];

export type AnalyticsEventType = (typeof ANALYTICS_EVENT_TYPES)[number];

/** A parsed event of one of {@link ANALYTICS_EVENT_TYPES}. */
export type AnalyticsEvent = ShopEvent<AnalyticsEventType>;
