import {
  type EventData,
  eventCatalogue,
  formatMoney,
  maxLengthOf,
  summariseList,
  truncateText,
} from '@shop/contracts';

type ReservationFailure = EventData<'InventoryReservationFailed'>['failures'][number];

/**
 * The longest cancellation reason an order keeps: what OrderCancelled's `detail` may carry, read
 * from the contract so the two cannot drift apart.
 */
export const CANCELLATION_REASON_MAX_LENGTH = maxLengthOf(
  eventCatalogue.OrderCancelled.data.shape.detail,
);

/** A reservation failure as the customer reads it. */
function describeFailure(failure: ReservationFailure): string {
  switch (failure.reason) {
    case 'UNKNOWN_PRODUCT':
      return `${failure.productId} is not in the catalog`;
    case 'OUT_OF_STOCK':
      return `${failure.productId} is out of stock (asked for ${failure.requested}, ${failure.available} left)`;
    case 'PRICE_MISMATCH':
      return `${failure.productId} now costs ${formatMoney(failure.current)}, not ${formatMoney(failure.quoted)}`;
  }
}

/**
 * Why inventory could not reserve an order, for people and within the limit of OrderCancelled:
 * every failed line when they fit, otherwise how many lines failed, the first ones and how many
 * more (`12 lines unavailable: a is out of stock (…); b is not in the catalog and 10 more`).
 * An order has up to 50 lines of 64-character ids, so the full list can be several thousand
 * characters long.
 *
 * @example
 * ```ts
 * reservationFailureReason([{ productId: 'p', reason: 'UNKNOWN_PRODUCT' }]);
 * // 'p is not in the catalog'
 * ```
 */
export function reservationFailureReason(failures: readonly ReservationFailure[]): string {
  return summariseList(failures.map(describeFailure), {
    maxLength: CANCELLATION_REASON_MAX_LENGTH,
    heading: (count) => `${count} lines unavailable: `,
  });
}

/**
 * A cancellation reason cut to what OrderCancelled can carry, for reasons that come whole from
 * elsewhere (a payment provider's message) or were stored before reasons were bounded.
 *
 * @example
 * ```ts
 * boundedCancellationReason('The card was declined.'); // unchanged
 * ```
 */
export function boundedCancellationReason(reason: string): string {
  return truncateText(reason, CANCELLATION_REASON_MAX_LENGTH);
}
