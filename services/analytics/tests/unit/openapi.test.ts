import { AnalyticsSummarySchema } from '@shop/analytics-domain';
import { ProblemSchema } from '@shop/lambda-http';
import { openApiDocument } from '../../src/openapi';

type Response = { content?: Record<string, { example?: unknown }> };
type Operation = { operationId: string; responses: Record<string, Response> };

const document = openApiDocument();
const operations = Object.values(document.paths ?? {}).flatMap((item) =>
  Object.values(item as Record<string, Operation>),
);
const summaryOperation = operations.find((o) => o.operationId === 'getAnalyticsSummary');
const exampleOf = (status: string, mediaType: string) =>
  summaryOperation?.responses[status]?.content?.[mediaType]?.example;

describe('OpenAPI document of the analytics API', () => {
  it('documents GET /analytics/summary and nothing else', () => {
    expect(Object.keys(document.paths ?? {})).toEqual(['/analytics/summary']);
    expect(operations.map((o) => o.operationId)).toEqual(['getAnalyticsSummary']);
  });

  it('has a 200 example that the summary schema accepts', () => {
    const example = exampleOf('200', 'application/json');

    expect(example).toBeDefined();
    expect(AnalyticsSummarySchema.safeParse(example).error).toBeUndefined();
  });

  it('has a 404 example that is a problem document', () => {
    const example = exampleOf('404', 'application/problem+json');

    expect(ProblemSchema.safeParse(example).error).toBeUndefined();
    expect(example).toMatchObject({ status: 404 });
  });

  it('shares schemas as components generated from zod', () => {
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['AnalyticsSummary', 'ProductSummary', 'StockPoint', 'Problem']),
    );
  });
});
