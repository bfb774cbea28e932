// zod/mini like every schema of the shop (see @shop/contracts/zod). This one only documents, it
// never parses, so it needs none of the English messages that module selects.
import * as z from 'zod/mini';

/** The RFC 9457 problem document every API answers errors with, for OpenAPI documents. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().check(z.int()),
    detail: z.string(),
    issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  })
  .register(z.globalRegistry, {
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

/**
 * The security scheme every API declares: Cognito ID tokens (JWT) in `Authorization: Bearer`.
 * Put it under `components.securitySchemes`; operations refer to it by name.
 */
export const bearerSecurityScheme = {
  bearerAuth: {
    type: 'http' as const,
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "A Cognito ID token of the shop's user pool (locally: `pnpm -s run token <user>`). Routes for " +
      'administrators also need the `admin` group.',
  },
};

/**
 * The `security` requirement and 401/403 answers of an operation, by who may call it.
 *
 * @example
 * ```ts
 * '/analytics/summary': { get: { ...secured('admin'), responses: { ...authResponses('admin') } } }
 * ```
 */
export function secured(access: 'public' | 'signedIn' | 'admin') {
  return { security: access === 'public' ? [] : [{ bearerAuth: [] }] };
}

/** 401 (no valid token) and, for admin routes, 403 (not an administrator). */
export function authResponses(access: 'public' | 'signedIn' | 'admin') {
  if (access === 'public') return {};
  return {
    '401': {
      description:
        'No valid token: missing, malformed, expired, wrongly signed or for another audience.',
      headers: {
        'WWW-Authenticate': {
          description: 'Always `Bearer`.',
          schema: { type: 'string' as const },
        },
      },
      // API Gateway's authorizer answers `{"message":"Unauthorized"}`; the function's own check
      // behind it (the second lock) answers a problem document.
      content: {
        'application/json': {
          schema: { type: 'object' as const, properties: { message: { type: 'string' as const } } },
          example: { message: 'Unauthorized' },
        },
        'application/problem+json': {
          schema: ProblemSchema,
          example: {
            type: 'about:blank',
            title: 'Unauthorized',
            status: 401,
            detail: 'sign in and send the token as "Authorization: Bearer <token>"',
          },
        },
      },
    },
    ...(access === 'admin'
      ? {
          '403': problemResponse('Signed in, but not a member of the `admin` group.', {
            type: 'about:blank',
            title: 'Forbidden',
            status: 403,
            detail: 'this operation is for shop administrators (the "admin" group)',
          }),
        }
      : {}),
  };
}
