import type { z } from 'zod';
import type { FieldIssue } from './errors';

/**
 * zod issues as dotted field paths, the form the API reports them in. Each unknown field is an
 * issue of its own, so the client sees its name; a problem with the whole input is reported at
 * `root`.
 */
export function toFieldIssues(error: z.ZodError, root = 'body'): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...at, key].join('.'),
        message: 'is not a field of this request',
      }));
    }
    return [{ path: at.length > 0 ? at.join('.') : root, message: issue.message }];
  });
}
