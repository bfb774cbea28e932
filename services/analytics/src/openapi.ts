import { AnalyticsSummarySchema } from '@shop/analytics-domain';
import * as z from '@shop/contracts/zod';
import {
  authResponses,
  bearerSecurityScheme,
  correlationIdHeader,
  problemResponse,
  secured,
} from '@shop/lambda-http';
import { createDocument } from 'zod-openapi';

const noSummaryYet = {
  type: 'about:blank',
  title: 'Not Found',
  status: 404,
  detail: 'no roll-up has run yet; one runs every minute',
};

/**
 * The analytics API as OpenAPI 3.1, generated from the zod schema of the summary, so the document
 * cannot drift from the code.
 *
 * @example
 * ```ts
 * const document = openApiDocument();
 * document.paths?.['/analytics/summary']?.get?.operationId; // 'getAnalyticsSummary'
 * ```
 */
export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'serverless-shop analytics API',
      version: '1.0.0',
      description:
        'Sales, stock and order outcomes, rolled up every minute from the events of the shop. ' +
        'Money is integer cents with a currency.',
    },
    components: { securitySchemes: bearerSecurityScheme },
    paths: {
      '/analytics/summary': {
        get: {
          operationId: 'getAnalyticsSummary',
          ...secured('admin'),
          summary: 'Get the latest analytics summary',
          description:
            'The summary of the latest roll-up (every minute): per product the units sold, ' +
            'revenue, current stock and last stock changes; confirmed and cancelled orders.',
          responses: {
            '200': {
              description: 'The latest summary; `generatedAt` says when it was computed.',
              headers: correlationIdHeader,
              content: {
                'application/json': {
                  schema: AnalyticsSummarySchema,
                  example: z.globalRegistry.get(AnalyticsSummarySchema)?.example,
                },
              },
            },
            ...authResponses('admin'),
            '404': {
              ...problemResponse('No roll-up has run yet.', noSummaryYet),
              headers: correlationIdHeader,
            },
          },
        },
      },
    },
  });
}
