import type { z } from 'zod';

/**
 * Everything a producer and its consumers agree on for one version of one event.
 * `data` is the payload schema; the envelope around it is the same for every event.
 */
export interface EventDefinition<
  TType extends string = string,
  TSchema extends z.ZodType = z.ZodType,
> {
  /** Past-tense fact, PascalCase; also the `eventType` SNS message attribute used by filter policies. */
  readonly type: TType;
  /** Major version: bumped only for breaking changes, which are published side by side. */
  readonly version: number;
  /** The service that publishes it. */
  readonly source: string;
  readonly description: string;
  readonly data: TSchema;
  /** A valid payload, used in docs and contract tests. */
  readonly example: z.input<TSchema>;
}

/** Declares an event; keeps the literal type so the catalogue can be a discriminated union. */
export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  definition: EventDefinition<TType, TSchema>,
): EventDefinition<TType, TSchema> {
  return definition;
}
