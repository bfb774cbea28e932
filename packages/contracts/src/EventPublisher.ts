import type { ShopEvent } from './envelope';

/**
 * Port: publishes events to the bus. Implemented by the SNS adapter in `@shop/aws-adapters`
 * (and by in-memory fakes in tests). Delivery is at least once: consumers deduplicate by eventId.
 */
export interface EventPublisher {
  publish(event: ShopEvent): Promise<void>;
}
