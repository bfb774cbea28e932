import type { EventDefinitions } from './createEventParser';
import type { EventDefinition } from './defineEvent';
import { EventEnvelopeSchema } from './envelope';
import {
  type BreakingChange,
  type BreakingChangeKind,
  findBreakingChanges,
  type JsonSchema,
} from './schemaCompatibility';
import * as z from './zod';

/** JSON Schemas by snapshot name: `envelope`, and `<EventType>.v<version>` per event version. */
export type EventSnapshots = ReadonlyMap<string, JsonSchema>;

/** The envelope's snapshot name; it has no version, so any breaking change to it fails. */
export const ENVELOPE_SNAPSHOT = 'envelope';

/** How versions can go wrong between the snapshots and the catalogue. */
export type VersionProblemKind =
  | 'removed-event'
  | 'skipped-version'
  | 'lowered-version'
  | 'missing-upcaster';

/** Something in the catalogue that breaks a snapshot's readers or writers. */
export interface SnapshotProblem {
  /** The snapshot it concerns, e.g. `OrderCreated.v1`. */
  snapshot: string;
  kind: BreakingChangeKind | VersionProblemKind;
  path: string;
  message: string;
}

/** How the catalogue stands against the committed snapshots. */
export interface SnapshotCheck {
  /** Breaking changes without a version bump, and bumps done wrong: fix the catalogue. */
  problems: SnapshotProblem[];
  /** Snapshots to add, rewrite or delete so they match the catalogue (what the script writes). */
  outdated: string[];
  /** The snapshots of the catalogue as it is. */
  current: EventSnapshots;
}

const snapshotName = (definition: EventDefinition) => `${definition.type}.v${definition.version}`;

/** The JSON Schema of what travels on the wire (the input side, before defaults apply). */
const jsonSchemaOf = (schema: z.core.$ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/**
 * The snapshots a catalogue gives: the envelope, and every version consumers accept (the current
 * one of each event and, after a bump, the previous one).
 *
 * @example
 * ```ts
 * [...catalogueSnapshots(eventCatalogue).keys()]; // ['envelope', 'OrderCreated.v1', …]
 * ```
 */
export function catalogueSnapshots(catalogue: EventDefinitions): EventSnapshots {
  const snapshots = new Map<string, JsonSchema>([
    [ENVELOPE_SNAPSHOT, jsonSchemaOf(EventEnvelopeSchema)],
  ]);
  for (const definition of Object.values(catalogue)) {
    const previous = definition.previous?.definition;
    if (previous) snapshots.set(snapshotName(previous), jsonSchemaOf(previous.data));
    snapshots.set(snapshotName(definition), jsonSchemaOf(definition.data));
  }
  return snapshots;
}

/**
 * Compares a catalogue with the last committed snapshots. A version both hold must not have
 * changed in a breaking way; a new version must be the next one and carry an upcaster from the
 * last snapshot's version; an event may not disappear. Compatible edits and new events only make
 * snapshots outdated, which the `snapshot` script fixes.
 *
 * @example
 * ```ts
 * const { problems, outdated } = checkEventSnapshots(eventCatalogue, readSnapshots(dir));
 * ```
 */
export function checkEventSnapshots(
  catalogue: EventDefinitions,
  committed: EventSnapshots,
): SnapshotCheck {
  const current = catalogueSnapshots(catalogue);
  const problems: SnapshotProblem[] = [];
  const outdated: string[] = [];

  for (const [name, schema] of current) {
    const before = committed.get(name);
    if (!before) {
      outdated.push(name);
      continue;
    }
    const breaking = findBreakingChanges(before, schema);
    problems.push(...breaking.map((change: BreakingChange) => ({ snapshot: name, ...change })));
    if (JSON.stringify(before) !== JSON.stringify(schema)) outdated.push(name);
  }

  const committedVersions = versionsByType(committed.keys());
  for (const definition of Object.values(catalogue)) {
    const versions = committedVersions.get(definition.type) ?? [];
    committedVersions.delete(definition.type);
    problems.push(...checkVersion(definition, versions));
    // After a bump the version before the previous one leaves the catalogue and its snapshot goes.
    const oldest = definition.previous?.definition.version ?? definition.version;
    for (const version of versions) {
      if (version < oldest) outdated.push(`${definition.type}.v${version}`);
    }
  }
  for (const [type, versions] of committedVersions) {
    const snapshot = `${type}.v${Math.max(...versions)}`;
    problems.push({
      snapshot,
      kind: 'removed-event',
      path: '(root)',
      message: `${type} left the catalogue: consumers refuse events still in flight`,
    });
  }
  return { problems, outdated: outdated.sort(), current };
}

function checkVersion(definition: EventDefinition, committedVersions: number[]): SnapshotProblem[] {
  if (committedVersions.length === 0) return [];
  const last = Math.max(...committedVersions);
  const { type, version } = definition;
  const problem = (kind: VersionProblemKind, message: string): SnapshotProblem[] => [
    { snapshot: `${type}.v${version}`, kind, path: 'version', message },
  ];
  if (version < last) {
    return problem('lowered-version', `${type} went from v${last} back to v${version}`);
  }
  if (version > last + 1) {
    return problem(
      'skipped-version',
      `${type} went from v${last} to v${version}: bump one version at a time`,
    );
  }
  if (version === last + 1 && definition.previous?.definition.version !== last) {
    return problem(
      'missing-upcaster',
      `${type} v${version} needs previous: v${last} with an upcaster, or consumers refuse v${last} events`,
    );
  }
  return [];
}

/** Committed event versions by type, from snapshot names. */
function versionsByType(names: Iterable<string>): Map<string, number[]> {
  const byType = new Map<string, number[]>();
  for (const name of names) {
    const match = /^(.+)\.v(\d+)$/.exec(name);
    if (!match?.[1] || !match[2]) continue;
    byType.set(match[1], [...(byType.get(match[1]) ?? []), Number(match[2])]);
  }
  return byType;
}
