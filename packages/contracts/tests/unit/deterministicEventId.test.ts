import { deterministicEventId } from '../../src/deterministicEventId';
import { EventEnvelopeSchema } from '../../src/envelope';
import { parseEvent } from '../../src/parseEvent';
import { paymentFailedEnvelope } from '../helpers/fixtures';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Function: deterministicEventId', () => {
  it('returns the same id for the same parts', () => {
    expect(deterministicEventId('OrderCreated', 'order-1')).toBe(
      deterministicEventId('OrderCreated', 'order-1'),
    );
  });

  it('pins the id of a known input so a change of algorithm cannot slip through', () => {
    // Consumers deduplicate on this id: changing the derivation would let a republish through.
    const id = deterministicEventId('OrderCreated', '01JD6Z8Q4J7W6E1N2M3K4P5R6S');

    // First 16 bytes of SHA-256 over the length-prefixed parts, version and variant bits set.
    expect(id).toBe('8a8b2917-02e3-8ecf-bcb3-a9acc4605c39');
  });

  it.each([
    [
      ['OrderCreated', 'order-1'],
      ['OrderCreated', 'order-2'],
    ],
    [
      ['OrderCreated', 'order-1'],
      ['OrderConfirmed', 'order-1'],
    ],
    [
      ['ab', 'c'],
      ['a', 'bc'],
    ],
    [['abc'], ['ab', 'c']],
    [['a'], ['a', '']],
    [
      ['a\u0000b', 'c'],
      ['a', 'b\u0000c'],
    ],
  ])('gives different ids for %j and %j', (left, right) => {
    expect(deterministicEventId(...left)).not.toBe(deterministicEventId(...right));
  });

  it('gives distinct ids across many inputs', () => {
    const ids = new Set(
      Array.from({ length: 1000 }, (_, i) => deterministicEventId('OrderCreated', `order-${i}`)),
    );

    expect(ids.size).toBe(1000);
  });

  it('is a lower-case RFC 9562 version 8 UUID', () => {
    for (let i = 0; i < 200; i++) {
      expect(deterministicEventId('PaymentProcessed', `order-${i}`)).toMatch(UUID_V8);
    }
  });

  it('is accepted as eventId by the envelope', () => {
    // Prepare
    const eventId = deterministicEventId('PaymentFailed', 'order-1');

    // Act
    const envelope = EventEnvelopeSchema.safeParse(paymentFailedEnvelope({ eventId }));
    const event = parseEvent(paymentFailedEnvelope({ eventId }));

    // Assess
    expect(envelope.success).toBe(true);
    expect(event.eventId).toBe(eventId);
  });
});
