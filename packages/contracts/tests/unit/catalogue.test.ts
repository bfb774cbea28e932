import { buildEvent } from '../../src/buildEvent';
import {
  type EventType,
  eventCatalogue,
  eventDefinitions,
  eventTypes,
  isEventType,
} from '../../src/catalogue';
import { parseEvent } from '../../src/parseEvent';
import { ParcelShippedV2, ParcelShippedV3 } from '../helpers/parcelShipped';

const definitions = eventDefinitions.map((definition) => [definition.type, definition] as const);

describe('Contract: event catalogue', () => {
  it('lists every catalogue entry once, keyed by its own type', () => {
    expect(eventDefinitions).toHaveLength(Object.keys(eventCatalogue).length);
    for (const [key, definition] of Object.entries(eventCatalogue)) {
      expect(definition.type).toBe(key);
    }
    expect(new Set(eventTypes).size).toBe(eventTypes.length);
  });

  it.each(definitions)(
    '%s has a PascalCase type, a positive version, a source and a description',
    (type, definition) => {
      expect(type).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(Number.isInteger(definition.version)).toBe(true);
      expect(definition.version).toBeGreaterThan(0);
      expect(definition.source).toMatch(/^[a-z]+$/);
      expect(definition.description.length).toBeGreaterThan(0);
    },
  );

  it.each(definitions)('%s has an example its data schema accepts', (_type, definition) => {
    const result = definition.data.safeParse(definition.example);

    expect(result.error?.issues).toBeUndefined();
    expect(result.success).toBe(true);
  });

  it.each(definitions)(
    '%s builds from its example and parses back unchanged',
    (type, definition) => {
      // Act
      const event = buildEvent(type as EventType, definition.example as never, {
        correlationId: 'contract-test',
      });
      const parsed = parseEvent(JSON.parse(JSON.stringify(event)), { accept: [type as EventType] });

      // Assess
      expect(event.version).toBe(definition.version);
      expect(event.source).toBe(definition.source);
      expect(parsed).toEqual(event);
    },
  );

  it.each(definitions)('%s rejects an empty payload', (_type, definition) => {
    expect(definition.data.safeParse({}).success).toBe(false);
  });

  it('upcasts the example of every previous version to a valid current payload', () => {
    // Today every event is v1 (no predecessor); the fixture event keeps this check honest.
    const bumped = [...eventDefinitions, ParcelShippedV2, ParcelShippedV3].filter(
      (definition) => definition.previous,
    );
    expect(bumped.length).toBeGreaterThan(0);

    for (const { previous, data, type } of bumped) {
      const before = previous?.definition;
      const old = before?.data.parse(before.example);
      const result = data.safeParse(previous?.upcast(old));

      expect({ type, issues: result.error?.issues }).toEqual({ type, issues: undefined });
    }
  });

  it('recognises catalogue types and nothing else', () => {
    for (const type of eventTypes) expect(isEventType(type)).toBe(true);
    expect(isEventType('OrderShipped')).toBe(false);
    expect(isEventType('orderCreated')).toBe(false);
    expect(isEventType('hasOwnProperty')).toBe(false);
  });
});
