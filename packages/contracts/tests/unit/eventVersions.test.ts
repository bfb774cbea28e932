import { createEventParser } from '../../src/createEventParser';
import { defineEvent } from '../../src/defineEvent';
import { ContractsError } from '../../src/errors';
import * as z from '../../src/zod';
import { catchValidationError, EVENT_ID, snsNotificationBody } from '../helpers/fixtures';
import {
  ParcelShippedV1,
  ParcelShippedV2,
  ParcelShippedV3,
  parcelShippedEnvelope,
} from '../helpers/parcelShipped';

const atV2 = createEventParser({ ParcelShipped: ParcelShippedV2 });
const atV3 = createEventParser({ ParcelShipped: ParcelShippedV3 });

const snsRecord = (envelope: unknown) => ({ body: snsNotificationBody(JSON.stringify(envelope)) });
const rawRecord = (envelope: unknown) => ({ body: JSON.stringify(envelope) });

describe('Function: parseSqsRecord (event versions)', () => {
  it.each([
    ['an SNS notification', snsRecord],
    ['a raw message', rawRecord],
  ])('upcasts a previous-version event in %s to the current version', (_delivery, record) => {
    // Prepare
    const v1 = parcelShippedEnvelope(1, { parcelId: 'parcel-7', carrier: 'UPS' });

    // Act
    const event = atV2.parseSqsRecord(record(v1), { accept: ['ParcelShipped'] });

    // Assess
    expect(event).toEqual({
      ...v1,
      version: 2,
      data: { parcelId: 'parcel-7', carrierCode: 'UPS', service: 'STANDARD' },
    });
  });

  it('passes a current-version event through unchanged', () => {
    const v2 = parcelShippedEnvelope(2, ParcelShippedV2.example);

    const event = atV2.parseSqsRecord(snsRecord(v2));

    expect(event).toEqual(v2);
  });

  it('upcasts only one step: v2 to v3, keeping the envelope', () => {
    // Prepare
    const v2 = parcelShippedEnvelope(2, { parcelId: 'p', carrierCode: 'DHL', service: 'EXPRESS' });

    // Act
    const event = atV3.parseSqsRecord(snsRecord(v2));

    // Assess
    expect(event.eventId).toBe(EVENT_ID);
    expect(event.version).toBe(3);
    expect(event.data).toEqual({ parcelId: 'p', carrier: { code: 'DHL', service: 'EXPRESS' } });
  });

  it('refuses a version older than the previous one and says which it accepts', () => {
    // Prepare
    const v1 = parcelShippedEnvelope(1, ParcelShippedV1.example);

    // Act
    const error = catchValidationError(() => atV3.parseSqsRecord(snsRecord(v1)));

    // Assess
    expect(error.message).toMatch(/^unsupported event version/);
    expect(error.issues).toEqual([
      {
        path: 'version',
        message: 'ParcelShipped v1 is no longer read (it accepts v3 and v2, upcast to v3)',
      },
    ]);
  });

  it('refuses a version newer than the consumer knows', () => {
    const v3 = parcelShippedEnvelope(3, ParcelShippedV3.example);

    const error = catchValidationError(() => atV2.parseSqsRecord(rawRecord(v3)));

    expect(error.issues).toEqual([
      {
        path: 'version',
        message:
          'ParcelShipped v3 is newer than this consumer knows (it accepts v2 and v1, upcast to v2)',
      },
    ]);
  });

  it('checks a previous-version payload against the previous schema, naming the field', () => {
    // A v2-shaped payload sent as v1 is not a valid v1.
    const mislabelled = parcelShippedEnvelope(1, ParcelShippedV2.example);

    const error = catchValidationError(() => atV2.parseSqsRecord(snsRecord(mislabelled)));

    expect(error.message).toMatch(/^invalid ParcelShipped v1/);
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'data.carrier',
      'data.carrierCode',
      'data.service',
    ]);
  });

  it('refuses an event whose upcast is not a valid current version', () => {
    // Prepare
    const upcastsBadly = defineEvent({
      ...ParcelShippedV2,
      previous: {
        definition: ParcelShippedV1,
        upcast: (v1) => ({ parcelId: v1.parcelId }) as never,
      },
    });
    const parser = createEventParser({ ParcelShipped: upcastsBadly });

    // Act
    const error = catchValidationError(() =>
      parser.parseSqsRecord(rawRecord(parcelShippedEnvelope(1, ParcelShippedV1.example))),
    );

    // Assess
    expect(error.message).toMatch(/^ParcelShipped v1 upcast to an invalid v2/);
    expect(error.issues.map((issue) => issue.path)).toEqual(['data.carrierCode', 'data.service']);
  });

  it('turns an upcaster that throws into a permanent validation error with the cause', () => {
    // Prepare
    const failure = new RangeError('no carrier code for "?"');
    const throwing = defineEvent({
      ...ParcelShippedV2,
      previous: {
        definition: ParcelShippedV1,
        upcast: () => {
          throw failure;
        },
      },
    });
    const parser = createEventParser({ ParcelShipped: throwing });

    // Act
    const error = catchValidationError(() =>
      parser.parseEvent(parcelShippedEnvelope(1, ParcelShippedV1.example)),
    );

    // Assess
    expect(error.message).toMatch(/^ParcelShipped v1 could not be upcast to v2/);
    expect(error.issues).toEqual([{ path: 'data', message: 'no carrier code for "?"' }]);
    expect(error.cause).toBe(failure);
  });

  it('applies the accept option before upcasting', () => {
    const v1 = parcelShippedEnvelope(1, ParcelShippedV1.example);

    const error = catchValidationError(() =>
      atV2.parseSqsRecord(snsRecord(v1), { accept: ['OrderCreated'] }),
    );

    expect(error.message).toMatch(/^unexpected event/);
  });

  it('knows only the types of its own catalogue', () => {
    const error = catchValidationError(() =>
      atV2.parseEvent({ ...parcelShippedEnvelope(2, {}), eventType: 'toString' }),
    );

    expect(error.issues).toEqual([
      { path: 'eventType', message: '"toString" is not in the catalogue' },
    ]);
  });
});

describe('Function: defineEvent (previous version)', () => {
  const { previous: _, ...v3 } = ParcelShippedV3;
  const upcast = (data: unknown) => data as never;

  it('refuses a previous version that is not the version before', () => {
    expect(() => defineEvent({ ...v3, previous: { definition: ParcelShippedV1, upcast } })).toThrow(
      new ContractsError(
        'ParcelShipped v3: previous must be ParcelShipped v2, not ParcelShipped v1',
      ),
    );
  });

  it('refuses a previous version of another event', () => {
    const parcelLost = { ...ParcelShippedV2, type: 'ParcelLost' as 'ParcelShipped' };

    expect(() => defineEvent({ ...v3, previous: { definition: parcelLost, upcast } })).toThrow(
      new ContractsError('ParcelShipped v3: previous must be ParcelShipped v2, not ParcelLost v2'),
    );
  });

  it('keeps a v1 without predecessor as it is', () => {
    const v1 = defineEvent({
      type: 'ParcelLost',
      version: 1,
      source: 'shipping',
      description: 'A parcel was lost.',
      data: z.object({ parcelId: z.string() }),
      example: { parcelId: 'p' },
    });

    expect(v1.previous).toBeUndefined();
  });
});
