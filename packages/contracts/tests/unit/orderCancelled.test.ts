import { buildEvent } from '../../src/buildEvent';
import { eventCatalogue } from '../../src/catalogue';
import { parseEvent } from '../../src/parseEvent';
import {
  CORRELATION_ID,
  catchValidationError,
  EVENT_ID,
  issuePaths,
  ORDER_ID,
} from '../helpers/fixtures';

const { example } = eventCatalogue.OrderCancelled;

/** An OrderCancelled envelope as it travels on the bus. */
const envelope = (data: unknown) => ({
  eventId: EVENT_ID,
  eventType: 'OrderCancelled',
  version: 1,
  occurredAt: '2026-11-27T10:00:00.000Z',
  correlationId: CORRELATION_ID,
  source: 'order',
  data,
});

describe('Contract: OrderCancelled v1', () => {
  // Payloads producers published before the count existed: v1 must still take them.
  it.each([
    { ...example, reason: 'PAYMENT_FAILED', detail: 'The card was declined.' },
    { ...example, reason: 'INVENTORY_UNAVAILABLE', detail: 'p is not in the catalog' },
  ])('still accepts a payload valid before the additive change (%#)', (data) => {
    const event = parseEvent(envelope(data), { accept: ['OrderCancelled'] });

    expect(event.version).toBe(1);
    expect(event.data).toEqual(data);
    expect(event.data).not.toHaveProperty('unavailableItemCount');
  });

  it('carries how many items were unavailable', () => {
    // Prepare
    const data = {
      ...example,
      orderId: ORDER_ID,
      reason: 'INVENTORY_UNAVAILABLE' as const,
      detail:
        '2 lines unavailable: a is out of stock (asked for 2, 1 left); b is not in the catalog',
      unavailableItemCount: 2,
    };

    // Act
    const event = buildEvent('OrderCancelled', data, { correlationId: CORRELATION_ID });
    const parsed = parseEvent(JSON.parse(JSON.stringify(event)), { accept: ['OrderCancelled'] });

    // Assess
    expect(parsed.version).toBe(1);
    expect(parsed.data.unavailableItemCount).toBe(2);
  });

  it.each([0, -1, 1.5, '2', null])('refuses a count of %p, naming it', (count) => {
    const error = catchValidationError(() =>
      parseEvent(
        envelope({ ...example, reason: 'INVENTORY_UNAVAILABLE', unavailableItemCount: count }),
      ),
    );

    expect(issuePaths(error)).toEqual(['data.unavailableItemCount']);
  });
});
