import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface ApiGatewayEventOptions {
  /** HTTP method; defaults to GET. */
  method?: string;
  /** Raw path as requested, e.g. `/orders/42`; defaults to `/`. */
  path?: string;
  /** Route that matched; defaults to `<METHOD> <path>`. Use `$default` for the catch-all route. */
  routeKey?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  /** A string is sent as is; anything else is serialised as JSON. */
  body?: unknown;
  /** Sends the body base64-encoded with `isBase64Encoded: true`, as API Gateway does for binary. */
  base64?: boolean;
  /**
   * Claims of a token the JWT authorizer verified (`requestContext.authorizer.jwt.claims`); see
   * {@link customerClaims} and {@link adminClaims}. Without them the request is anonymous.
   */
  claims?: Record<string, unknown>;
}

/** Claims of a verified customer's ID token, as API Gateway passes them (strings). */
export function customerClaims(
  sub = 'cust-42',
  email = 'ada@example.com',
): Record<string, unknown> {
  return {
    sub,
    email,
    email_verified: 'true',
    token_use: 'id',
    'cognito:username': sub,
  };
}

/** Claims of a verified admin's ID token (`cognito:groups` as API Gateway renders arrays). */
export function adminClaims(sub = 'admin-1', email = 'admin@example.com'): Record<string, unknown> {
  return { ...customerClaims(sub, email), 'cognito:groups': '[admin]' };
}

/**
 * An API Gateway HTTP API (payload format 2.0) event, with the fields our handlers read filled in
 * with plausible values.
 *
 * @example
 * ```ts
 * apiGatewayEvent({ method: 'POST', path: '/orders', body: { lines: [], paymentToken: 't' },
 *   headers: { 'content-type': 'application/json' }, claims: customerClaims() });
 * ```
 */
export function apiGatewayEvent(options: ApiGatewayEventOptions = {}): APIGatewayProxyEventV2 {
  const method = (options.method ?? 'GET').toUpperCase();
  const path = options.path ?? '/';
  const query = options.query;
  const rawQueryString = query ? new URLSearchParams(query).toString() : '';
  const text =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const encoded = text !== undefined && options.base64 === true;
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString,
    headers: { host: 'api.example.com', 'user-agent': 'jest', ...options.headers },
    ...(query ? { queryStringParameters: query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'jest',
      },
      requestId: 'request-id',
      routeKey: options.routeKey ?? `${method} ${path}`,
      stage: '$default',
      time: '01/Jan/2024:00:00:00 +0000',
      timeEpoch: 1_704_067_200_000,
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(text !== undefined
      ? { body: encoded ? Buffer.from(text, 'utf8').toString('base64') : text }
      : {}),
    isBase64Encoded: encoded,
  };
}
