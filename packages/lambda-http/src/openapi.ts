import { z } from 'zod';

/** The RFC 9457 problem document every API answers errors with, for OpenAPI documents. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem document; `issues` name the offending fields.',
  });

/**
 * An OpenAPI response object for an error status, with an example problem document if given.
 *
 * @example
 * ```ts
 * responses: {
 *   '404': problemResponse('No such order.'),
 *   '409': problemResponse('Already cancelled.', {
 *     type: 'about:blank', title: 'Conflict', status: 409, detail: 'the order is cancelled',
 *   }),
 * }
 * ```
 */
export function problemResponse(description: string, example?: z.infer<typeof ProblemSchema>) {
  return {
    description,
    content: {
      'application/problem+json': { schema: ProblemSchema, ...(example ? { example } : {}) },
    },
  };
}

/** The `X-Correlation-Id` response header, as every operation returns it. */
export const correlationIdHeader = {
  'X-Correlation-Id': {
    description: 'Correlation id of the flow: the one sent, or a new one.',
    schema: { type: 'string' as const },
  },
};
