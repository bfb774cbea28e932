import { ContractsError } from './errors';
import type * as z from './zod';

/**
 * The version an event had before its latest breaking change, kept so consumers still read it
 * while producers move over: {@link parseEvent} parses such an event with `definition.data` and
 * hands `upcast(data)` on as the current version.
 */
export interface PreviousEventVersion {
  /** The previous version exactly as it was published (its own `version`, schema and example). */
  readonly definition: EventDefinition;
  /** Called only with a payload `definition.data` accepted; returns the current version's input. */
  readonly upcast: (data: unknown) => unknown;
}

/**
 * Everything a producer and its consumers agree on for one version of one event.
 * `data` is the payload schema; the envelope around it is the same for every event.
 */
export interface EventDefinition<
  TType extends string = string,
  TSchema extends z.ZodMiniType = z.ZodMiniType,
> {
  /** Past-tense fact, PascalCase; also the `eventType` SNS message attribute used by filter policies. */
  readonly type: TType;
  /**
   * Major version, bumped only for a breaking change (see the package README): consumers accept
   * this version and, through {@link EventDefinition.previous}, the one before it.
   */
  readonly version: number;
  /** The service that publishes it. */
  readonly source: string;
  readonly description: string;
  readonly data: TSchema;
  /** A valid payload, used in docs and contract tests. */
  readonly example: z.input<TSchema>;
  /** Version `version - 1` and how to upcast it; absent for a v1 (it has no predecessor). */
  readonly previous?: PreviousEventVersion;
}

/** What {@link defineEvent} takes: a definition whose upcaster is typed by both schemas. */
export interface EventDefinitionInput<
  TType extends string,
  TSchema extends z.ZodMiniType,
  TPrevious extends z.ZodMiniType,
> extends Omit<EventDefinition<TType, TSchema>, 'previous'> {
  readonly previous?: {
    readonly definition: EventDefinition<TType, TPrevious>;
    readonly upcast: (data: z.output<TPrevious>) => z.input<TSchema>;
  };
}

/**
 * Declares an event; keeps the literal type so the catalogue can be a discriminated union.
 *
 * @example
 * ```ts
 * // v1 stays as published; v2 says how a v1 payload becomes a v2 one.
 * const ParcelShippedV1 = defineEvent({ type: 'ParcelShipped', version: 1, … });
 * export const ParcelShipped = defineEvent({
 *   type: 'ParcelShipped',
 *   version: 2,
 *   …,
 *   previous: {
 *     definition: ParcelShippedV1,
 *     upcast: ({ carrier, ...rest }) => ({ ...rest, carrierCode: carrier, service: 'STANDARD' }),
 *   },
 * });
 * ```
 * @throws ContractsError when `previous` is another event or not version `version - 1`.
 */
export function defineEvent<
  TType extends string,
  TSchema extends z.ZodMiniType,
  TPrevious extends z.ZodMiniType = z.ZodMiniType,
>(definition: EventDefinitionInput<TType, TSchema, TPrevious>): EventDefinition<TType, TSchema> {
  const { previous, ...current } = definition;
  if (!previous) return current;
  const before = previous.definition;
  if (before.type !== current.type || before.version !== current.version - 1) {
    throw new ContractsError(
      `${current.type} v${current.version}: previous must be ${current.type} v${current.version - 1}, not ${before.type} v${before.version}`,
    );
  }
  return {
    ...current,
    // The parser has checked the payload against `before.data` before it calls this.
    previous: {
      definition: before,
      upcast: (data) => previous.upcast(data as z.output<TPrevious>),
    },
  };
}
