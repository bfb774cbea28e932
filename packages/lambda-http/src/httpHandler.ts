import { randomUUID } from 'node:crypto';
import {
  CORRELATION_ID_HEADERS,
  CORRELATION_ID_RESPONSE_HEADER,
  instrumentHandler,
  logger,
  MetricUnit,
  metrics,
  setCorrelationId,
} from '@shop/observability';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type Access, type Caller, callerFromClaims } from './caller';
import {
  badRequest,
  forbidden,
  HttpError,
  payloadTooLarge,
  unauthorized,
  unsupportedMediaType,
} from './errors';
import { type HttpResponse, json, problem } from './response';

export interface HttpRequest<A extends Access = Access> {
  method: string;
  /** The route that matched, e.g. `GET /orders/{id}`. */
  routeKey: string;
  /** The path as requested, e.g. `/orders/42`. */
  path: string;
  pathParameters: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** The parsed JSON body; `undefined` when there is none. */
  body: unknown;
  correlationId: string;
  /**
   * Who is calling, from the claims the JWT authorizer verified. Always set on `signedIn` and
   * `admin` routes; on public routes only when a token was sent and verified.
   */
  caller: A extends 'public' ? Caller | undefined : Caller;
  context: Context;
}

export interface HttpHandlerOptions<A extends Access = Access> {
  /**
   * Who may call the route (default `signedIn`). API Gateway's JWT authorizer already refuses
   * requests without a valid token; this is the second lock, and the only place the `admin`
   * group is checked: 401 without a caller, 403 for a caller who is not an admin.
   */
  access?: A;
  /** Turns a domain error into the HttpError the client should see; `undefined` means "not mine". */
  mapError?: (error: unknown) => HttpError | undefined;
  /** Larger bodies get 413 before any parsing. */
  maxBodyBytes?: number;
  /** False for routes that never read a body (e.g. the 405 route), so a body cannot fail them. */
  readBody?: boolean;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Wraps a route of an HTTP API (payload v2) so the route only deals with its use case: JSON parsing
 * with 413/415/400, the correlation id (taken from `X-Correlation-Id`/`X-Request-ID` or generated,
 * logged, and echoed back), Powertools context and metrics, and errors mapped in one place.
 *
 * @example
 * ```ts
 * export const handler = httpHandler(async ({ pathParameters }) =>
 *   json(200, await getThing(pathParameters.id)), { mapError });
 * ```
 */
export function httpHandler<A extends Access = 'signedIn'>(
  route: (request: HttpRequest<A>) => Promise<HttpResponse>,
  options: HttpHandlerOptions<A> = {},
) {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const access: Access = options.access ?? 'signedIn';

  const lambdaHandler = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<HttpResponse> => {
    const headers = lowerCaseKeys(event.headers ?? {});
    const correlationId = pickCorrelationId(headers);
    setCorrelationId(correlationId);
    const started = Date.now();
    const method = event.requestContext.http.method.toUpperCase();

    let response: HttpResponse;
    try {
      const caller = authorize(event, access);
      response = await route({
        method,
        routeKey: event.routeKey,
        path: event.rawPath,
        pathParameters: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        headers,
        body:
          options.readBody !== false && METHODS_WITH_BODY.has(method)
            ? parseJsonBody(event, headers, maxBodyBytes)
            : undefined,
        correlationId,
        caller: caller as HttpRequest<A>['caller'],
        context,
      });
    } catch (error) {
      response = errorResponse(error, options.mapError);
    }
    logger.info('request handled', {
      method,
      path: event.rawPath,
      status: response.statusCode,
      durationMs: Date.now() - started,
    });
    return {
      ...response,
      // CORS is the HTTP API's job (httpApi.cors in serverless.yml): preflights cost no invocation.
      headers: {
        [CORRELATION_ID_RESPONSE_HEADER]: correlationId,
        ...response.headers,
      },
    };
  };

  return instrumentHandler(lambdaHandler);
}

/** The caller, or the 401/403 the route's access rule asks for. */
function authorize(event: APIGatewayProxyEventV2, access: Access): Caller | undefined {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } })
    .authorizer;
  const caller = callerFromClaims(authorizer?.jwt?.claims as Record<string, unknown> | undefined);
  if (access === 'public') return caller;
  if (!caller) throw unauthorized();
  if (access === 'admin' && !caller.isAdmin) {
    throw forbidden('this operation is for shop administrators (the "admin" group)');
  }
  return caller;
}

function errorResponse(error: unknown, mapError: HttpHandlerOptions['mapError']): HttpResponse {
  const httpError = error instanceof HttpError ? error : mapError?.(error);
  if (httpError) {
    logger.info('request rejected', {
      status: httpError.statusCode,
      detail: httpError.message,
      issues: httpError.issues,
    });
    return problem(httpError);
  }
  logger.error('request failed', error as Error);
  metrics.addMetric('Errors', MetricUnit.Count, 1);
  return json(
    500,
    { type: 'about:blank', title: 'Internal Server Error', status: 500 },
    {
      'Content-Type': 'application/problem+json; charset=utf-8',
    },
  );
}

function parseJsonBody(
  event: APIGatewayProxyEventV2,
  headers: Record<string, string | undefined>,
  maxBodyBytes: number,
): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) throw payloadTooLarge(maxBodyBytes);
  const contentType = headers['content-type'];
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json' && !mediaType?.endsWith('+json')) {
    throw unsupportedMediaType(contentType);
  }
  if (text.trim() === '')
    throw badRequest('the body is empty; send a JSON object', [
      { path: 'body', message: 'is required' },
    ]);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest('the body is not valid JSON', [
      { path: 'body', message: (error as Error).message },
    ]);
  }
}

const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's id is kept only if it is safe to log and echo; otherwise a new one is made. */
function pickCorrelationId(headers: Record<string, string | undefined>): string {
  for (const name of CORRELATION_ID_HEADERS) {
    const value = headers[name]?.trim();
    if (value && CORRELATION_ID_PATTERN.test(value)) return value;
  }
  return randomUUID();
}

function lowerCaseKeys(
  headers: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]),
  );
}
