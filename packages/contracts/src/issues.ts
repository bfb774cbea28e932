import type { ContractIssue } from './errors';
import type * as z from './zod';

/** Where the value zod checked sits, so each issue's path names the field a person would fix. */
export interface IssuePlace {
  /**
   * Put before every path, for a value inside a larger one: an event's `data` gives
   * `data.lines.0.quantity`, and an issue about the payload as a whole is at `data`.
   */
  prefix?: string;
  /**
   * The path of an issue about the value as a whole when there is no prefix: `body` or `query`
   * for a request. Without it such an issue has the empty path.
   */
  root?: string;
}

/**
 * zod issues as dotted field paths with English messages: the one form in which the APIs answer
 * and the event contracts report what is wrong. An object with unknown fields gives one issue per
 * field, at that field's path, so the client sees each name.
 *
 * @example
 * ```ts
 * toIssues(RequestSchema.safeParse(body).error!, { root: 'body' });
 * // → [{ path: 'lines.0.quantity', message: 'Too small: expected number to be >0' },
 * //    { path: 'coupon', message: '"coupon" is not a known field' }]
 * toIssues(EventSchema.safeParse(event).error!, { prefix: 'data' });
 * // → [{ path: 'data.total.amount', message: '…' }]
 * ```
 */
export function toIssues(error: z.core.$ZodError, place: IssuePlace = {}): ContractIssue[] {
  const pathOf = (segments: readonly PropertyKey[]) =>
    [...(place.prefix ? [place.prefix] : []), ...segments.map(String)].join('.') ||
    (place.root ?? '');
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: pathOf([...issue.path, key]),
          message: `"${key}" is not a known field`,
        }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}
