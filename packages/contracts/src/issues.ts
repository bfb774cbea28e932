import type { z } from 'zod';
import type { ContractIssue } from './errors';

/** Flattens zod issues to dotted paths (`data.lines.0.quantity`) that say which field is wrong. */
export function toIssues(error: z.ZodError, prefix?: string): ContractIssue[] {
  return error.issues.map((issue) => ({
    path: [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}
