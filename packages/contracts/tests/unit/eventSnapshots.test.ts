import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventCatalogue } from '../../src/catalogue';
import type { EventDefinitions } from '../../src/createEventParser';
import { defineEvent } from '../../src/defineEvent';
import { catalogueSnapshots, checkEventSnapshots } from '../../src/eventSnapshots';
import { readSnapshots, SNAPSHOT_DIR, writeSnapshots } from '../../src/snapshotFiles';
import * as z from '../../src/zod';
import { ParcelShippedV1, ParcelShippedV2, ParcelShippedV3 } from '../helpers/parcelShipped';

/** The snapshots a team would have committed while the catalogue looked like `catalogue`. */
const committedFrom = (catalogue: EventDefinitions) => catalogueSnapshots(catalogue);

/** ParcelShipped v1 to edit: `defineEvent` takes `previous` typed by both schemas, not as stored. */
const { previous: _, ...parcelShippedV1 } = ParcelShippedV1;

const summary = (catalogue: EventDefinitions, committed: EventDefinitions) => {
  const { problems, outdated } = checkEventSnapshots(catalogue, committedFrom(committed));
  return {
    problems: problems.map(
      (problem) => `${problem.kind} in ${problem.snapshot} at ${problem.path}`,
    ),
    outdated,
  };
};

describe('Contract: committed event snapshots', () => {
  it('match the current catalogue (else run `pnpm --filter @shop/contracts run snapshot`)', () => {
    const { problems, outdated } = checkEventSnapshots(eventCatalogue, readSnapshots(SNAPSHOT_DIR));

    expect(problems).toEqual([]);
    expect(outdated).toEqual([]);
  });
});

describe('Function: checkEventSnapshots', () => {
  it('holds the envelope and every version consumers accept', () => {
    const names = [...catalogueSnapshots({ ParcelShipped: ParcelShippedV3 }).keys()];

    expect(names).toEqual(['envelope', 'ParcelShipped.v2', 'ParcelShipped.v3']);
  });

  it('finds nothing when the catalogue did not change', () => {
    const catalogue = { ParcelShipped: ParcelShippedV2 };

    expect(summary(catalogue, catalogue)).toEqual({ problems: [], outdated: [] });
  });

  it('flags a breaking change that keeps the version, naming the snapshot', () => {
    // Prepare
    const carrierRenamed = defineEvent({
      ...parcelShippedV1,
      data: z.strictObject({
        parcelId: z.string().check(z.minLength(1)),
        carrierName: z.string().check(z.minLength(1)),
      }),
      example: { parcelId: 'p', carrierName: 'DHL' },
    });

    // Act
    const result = summary({ ParcelShipped: carrierRenamed }, { ParcelShipped: ParcelShippedV1 });

    // Assess
    expect(result.problems).toEqual(['renamed-field in ParcelShipped.v1 at carrier']);
  });

  it('asks only for a new snapshot after an additive change', () => {
    const withNote = defineEvent({
      ...parcelShippedV1,
      data: z.extend(ParcelShippedV1.data, { note: z.optional(z.string()) }),
    });

    expect(summary({ ParcelShipped: withNote }, { ParcelShipped: ParcelShippedV1 })).toEqual({
      problems: [],
      outdated: ['ParcelShipped.v1'],
    });
  });

  it('accepts a breaking change as a bumped version with an upcaster from the last snapshot', () => {
    expect(summary({ ParcelShipped: ParcelShippedV2 }, { ParcelShipped: ParcelShippedV1 })).toEqual(
      { problems: [], outdated: ['ParcelShipped.v2'] },
    );
  });

  it('drops the snapshot of the version before the previous one at the next bump', () => {
    expect(summary({ ParcelShipped: ParcelShippedV3 }, { ParcelShipped: ParcelShippedV2 })).toEqual(
      { problems: [], outdated: ['ParcelShipped.v1', 'ParcelShipped.v3'] },
    );
  });

  it('flags a bump without an upcaster', () => {
    const { previous: __, ...withoutUpcaster } = ParcelShippedV2;

    expect(
      summary({ ParcelShipped: withoutUpcaster }, { ParcelShipped: ParcelShippedV1 }).problems,
    ).toEqual(['missing-upcaster in ParcelShipped.v2 at version']);
  });

  it('flags a skipped version', () => {
    expect(
      summary({ ParcelShipped: ParcelShippedV3 }, { ParcelShipped: ParcelShippedV1 }).problems,
    ).toEqual(['skipped-version in ParcelShipped.v3 at version']);
  });

  it('flags a version that went back', () => {
    expect(
      summary({ ParcelShipped: ParcelShippedV1 }, { ParcelShipped: ParcelShippedV2 }).problems,
    ).toEqual(['lowered-version in ParcelShipped.v1 at version']);
  });

  it('flags a previous version edited after the bump', () => {
    // Prepare
    const editedV1 = defineEvent({
      ...parcelShippedV1,
      data: z.extend(ParcelShippedV1.data, { carrier: z.enum(['DHL', 'UPS']) }),
      example: { parcelId: 'parcel-1', carrier: 'DHL' },
    });
    const v2 = defineEvent({
      ...ParcelShippedV2,
      previous: {
        definition: editedV1,
        upcast: ({ carrier, ...rest }) => ({
          ...rest,
          carrierCode: carrier,
          service: 'STANDARD' as const,
        }),
      },
    });

    // Act
    const { problems } = summary({ ParcelShipped: v2 }, { ParcelShipped: ParcelShippedV2 });

    // Assess
    expect(problems).toEqual(['narrowed-type in ParcelShipped.v1 at carrier']);
  });

  it('flags an event that left the catalogue', () => {
    expect(summary({}, { ParcelShipped: ParcelShippedV2 }).problems).toEqual([
      'removed-event in ParcelShipped.v2 at (root)',
    ]);
  });

  it('asks for the snapshots of a new event', () => {
    expect(summary({ ParcelShipped: ParcelShippedV1 }, {})).toEqual({
      problems: [],
      outdated: ['ParcelShipped.v1'],
    });
  });
});

describe('Functions: writeSnapshots, readSnapshots', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-snapshots-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('write one file per snapshot that reads back equal', () => {
    // Prepare
    const snapshots = catalogueSnapshots({ ParcelShipped: ParcelShippedV2 });

    // Act
    writeSnapshots(dir, snapshots);

    // Assess
    expect(readdirSync(dir).sort()).toEqual([
      'ParcelShipped.v1.json',
      'ParcelShipped.v2.json',
      'envelope.json',
    ]);
    expect(readSnapshots(dir)).toEqual(snapshots);
  });

  it('delete the snapshots of versions no longer listed', () => {
    writeSnapshots(dir, catalogueSnapshots({ ParcelShipped: ParcelShippedV2 }));

    writeSnapshots(dir, catalogueSnapshots({ ParcelShipped: ParcelShippedV3 }));

    expect([...readSnapshots(dir).keys()]).toEqual([
      'ParcelShipped.v2',
      'ParcelShipped.v3',
      'envelope',
    ]);
  });

  it('read no snapshots from a folder that does not exist', () => {
    expect(readSnapshots(join(dir, 'missing')).size).toBe(0);
  });
});
