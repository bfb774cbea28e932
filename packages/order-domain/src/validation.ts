import type { z } from 'zod';
import type { FieldIssue } from './errors';

/** zod issues as dotted field paths, the form the API reports them in. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
