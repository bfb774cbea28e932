import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpError } from './errors';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };

/** A JSON response. */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** An RFC 9457 problem document for an HttpError. */
export function problem(error: HttpError): HttpResponse {
  return {
    statusCode: error.statusCode,
    headers: { 'Content-Type': 'application/problem+json; charset=utf-8', ...error.headers },
    body: JSON.stringify({
      type: 'about:blank',
      title: error.title,
      status: error.statusCode,
      detail: error.message,
      ...(error.issues ? { issues: error.issues } : {}),
    }),
  };
}
