import { defineEvent } from '../../src/defineEvent';
import * as z from '../../src/zod';
import { EVENT_ID } from './fixtures';

/**
 * A fixture event that went through two breaking changes, for the versioning mechanism: every
 * event of the real catalogue is still at v1, with no predecessor.
 */
export const ParcelShippedV1 = defineEvent({
  type: 'ParcelShipped',
  version: 1,
  source: 'shipping',
  description: 'A parcel left the warehouse.',
  data: z.strictObject({
    parcelId: z.string().check(z.minLength(1)),
    carrier: z.string().check(z.minLength(1)),
  }),
  example: { parcelId: 'parcel-1', carrier: 'DHL' },
});

/** v2 renamed `carrier` to `carrierCode` and added the required `service`. */
export const ParcelShippedV2 = defineEvent({
  type: 'ParcelShipped',
  version: 2,
  source: 'shipping',
  description: 'A parcel left the warehouse.',
  data: z.strictObject({
    parcelId: z.string().check(z.minLength(1)),
    carrierCode: z.string().check(z.minLength(1)),
    service: z.enum(['STANDARD', 'EXPRESS']),
  }),
  example: { parcelId: 'parcel-1', carrierCode: 'DHL', service: 'EXPRESS' },
  previous: {
    definition: ParcelShippedV1,
    // v1 parcels all went by the standard service.
    upcast: ({ carrier, ...rest }) => ({
      ...rest,
      carrierCode: carrier,
      service: 'STANDARD' as const,
    }),
  },
});

/** v3 grouped the carrier's fields. */
export const ParcelShippedV3 = defineEvent({
  type: 'ParcelShipped',
  version: 3,
  source: 'shipping',
  description: 'A parcel left the warehouse.',
  data: z.strictObject({
    parcelId: z.string().check(z.minLength(1)),
    carrier: z.object({
      code: z.string().check(z.minLength(1)),
      service: z.enum(['STANDARD', 'EXPRESS']),
    }),
  }),
  example: { parcelId: 'parcel-1', carrier: { code: 'DHL', service: 'EXPRESS' } },
  previous: {
    definition: ParcelShippedV2,
    upcast: ({ carrierCode, service, ...rest }) => ({
      ...rest,
      carrier: { code: carrierCode, service },
    }),
  },
});

/** A ParcelShipped envelope as it travels on the bus, of the given version and payload. */
export function parcelShippedEnvelope(version: number, data: unknown) {
  return {
    eventId: EVENT_ID,
    eventType: 'ParcelShipped',
    version,
    occurredAt: '2024-05-01T10:00:00.000Z',
    correlationId: 'corr-parcel',
    source: 'shipping',
    data,
  };
}
