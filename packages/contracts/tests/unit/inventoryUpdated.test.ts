import { buildEvent } from '../../src/buildEvent';
import { eventCatalogue } from '../../src/catalogue';
import { parseEvent } from '../../src/parseEvent';
import { CORRELATION_ID, catchValidationError, EVENT_ID, issuePaths } from '../helpers/fixtures';

const schema = eventCatalogue.InventoryUpdated.data;

/** An InventoryUpdated envelope as it travels on the bus. */
const envelope = (data: unknown) => ({
  eventId: EVENT_ID,
  eventType: 'InventoryUpdated',
  version: 1,
  occurredAt: '2026-11-27T10:00:00.000Z',
  correlationId: CORRELATION_ID,
  source: 'inventory',
  data,
});

describe('Contract: InventoryUpdated v1', () => {
  // Payloads producers published before restocks and corrections existed: v1 must still take them.
  it.each([
    {
      cause: 'RESERVED',
      orderId: 'o-1',
      changes: [{ productId: 'prod-espresso-beans', delta: -2, stock: 38 }],
    },
    {
      cause: 'RELEASED',
      orderId: 'o-1',
      changes: [{ productId: 'prod-espresso-beans', delta: 2, stock: 40 }],
    },
    { cause: 'RESTOCKED', changes: [{ productId: 'prod-espresso-beans', delta: 10, stock: 50 }] },
  ])('still accepts a payload valid before the additive change (%#)', (data) => {
    const event = parseEvent(envelope(data), { accept: ['InventoryUpdated'] });

    expect(event.data).toEqual(data);
  });

  it('carries a correction with its note and without an order', () => {
    // Prepare
    const data = {
      cause: 'CORRECTED' as const,
      note: 'two bags torn in the warehouse',
      changes: [{ productId: 'prod-espresso-beans', delta: -2, stock: 48 }],
    };

    // Act
    const event = buildEvent('InventoryUpdated', data, { correlationId: CORRELATION_ID });
    const parsed = parseEvent(JSON.parse(JSON.stringify(event)), { accept: ['InventoryUpdated'] });

    // Assess
    expect(parsed.data).toEqual(data);
  });

  it('refuses a note longer than 200 characters, naming it', () => {
    const error = catchValidationError(() =>
      parseEvent(
        envelope({
          cause: 'RESTOCKED',
          note: 'x'.repeat(201),
          changes: [{ productId: 'prod-espresso-beans', delta: 1, stock: 1 }],
        }),
      ),
    );

    expect(issuePaths(error)).toEqual(['data.note']);
  });

  it('refuses a cause it does not know', () => {
    expect(
      schema.safeParse({
        cause: 'ADJUSTED',
        changes: [{ productId: 'prod-espresso-beans', delta: 1, stock: 1 }],
      }).success,
    ).toBe(false);
  });
});
