import type { ShopEvent } from '@shop/contracts';

/**
 * The events a customer gets an email for, in the order a happy order meets them. The consumer
 * accepts exactly these, and its queue's filter policy should let exactly these through.
 *
 * @example
 * ```ts
 * eventConsumer({ accept: customerEventTypes, handle: (event) => notifyCustomer(deps, event) });
 * ```
 */
export const customerEventTypes = ['PaymentProcessed', 'OrderConfirmed', 'OrderCancelled'] as const;

/** Name of an event a customer gets an email for. */
export type CustomerEventType = (typeof customerEventTypes)[number];

/** A parsed event a customer gets an email for. */
export type CustomerEvent = ShopEvent<CustomerEventType>;
