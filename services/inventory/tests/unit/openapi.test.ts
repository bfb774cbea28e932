import type * as z from '@shop/contracts/zod';
import {
  ChangeProductRequestSchema,
  CreateProductRequestSchema,
  NewProductIdSchema,
  ProductSchema,
  StockAdjustmentRequestSchema,
} from '@shop/inventory-domain';
import { ProblemSchema } from '@shop/lambda-http';
import { expectedVersion } from '../../src/etag';
import { openApiDocument } from '../../src/openapi';

type Parameter = {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  schema?: { example?: unknown };
};
type Response = { content?: Record<string, { example?: unknown }> };
type Operation = {
  operationId: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, Response>;
};

const document = openApiDocument();
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({
    path,
    method,
    operation,
  })),
);
const operation = (id: string) => operations.find((o) => o.operation.operationId === id)?.operation;
const exampleOf = (parameter: Parameter) => parameter.example ?? parameter.schema?.example;

const ADMIN_OPERATIONS = ['createProduct', 'changeProduct', 'adjustStock'];

describe('OpenAPI document of the catalog API', () => {
  it('documents the five operations of the API', () => {
    expect(operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual([
      'GET /products',
      'GET /products/{id}',
      'PATCH /products/{id}',
      'POST /products',
      'POST /products/{id}/stock-adjustments',
    ]);
  });

  it('declares the bearer scheme, requires it of administrators only and documents 401 and 403', () => {
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(['bearerAuth']);
    for (const { operation } of operations) {
      const admin = ADMIN_OPERATIONS.includes(operation.operationId);
      expect({ id: operation.operationId, security: operation.security }).toEqual({
        id: operation.operationId,
        security: admin ? [{ bearerAuth: [] }] : [],
      });
      expect({ id: operation.operationId, has401and403: '401' in operation.responses }).toEqual({
        id: operation.operationId,
        has401and403: admin && '403' in operation.responses,
      });
    }
  });

  it.each([
    ['createProduct', CreateProductRequestSchema],
    ['changeProduct', ChangeProductRequestSchema],
    ['adjustStock', StockAdjustmentRequestSchema],
  ] as [string, z.ZodMiniType][])(
    'has a %s body example that the handler accepts',
    (id, schema) => {
      const example = operation(id)?.requestBody?.content['application/json']?.example;

      expect(example).toBeDefined();
      expect(schema.safeParse(example).error).toBeUndefined();
    },
  );

  it('requires If-Match on every conditional write, with an example the handler accepts', () => {
    for (const id of ['changeProduct', 'adjustStock']) {
      const ifMatch = operation(id)?.parameters?.find((p) => p.name === 'If-Match');

      expect({ id, in: ifMatch?.in, required: ifMatch?.required }).toEqual({
        id,
        in: 'header',
        required: true,
      });
      expect(expectedVersion(String(exampleOf(ifMatch as Parameter)))).toBe(3);
      expect(Object.keys(operation(id)?.responses ?? {})).toEqual(
        expect.arrayContaining(['412', '428']),
      );
    }
  });

  it('gives every path parameter an example that is a valid product id', () => {
    for (const { operation } of operations) {
      for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'path')) {
        expect(NewProductIdSchema.safeParse(exampleOf(parameter)).success).toBe(true);
      }
    }
  });

  it('has product examples that the product schema accepts and problem examples that are problems', () => {
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const product = response.content?.['application/json']?.example;
        const problem = response.content?.['application/problem+json']?.example;
        if (['200', '201'].includes(status) && operation.operationId !== 'listProducts') {
          expect(ProductSchema.safeParse(product).error).toBeUndefined();
        }
        if (problem !== undefined) {
          expect(ProblemSchema.safeParse(problem).error).toBeUndefined();
          expect(problem).toMatchObject({ status: Number(status) });
        }
      }
    }
  });

  it('shares schemas as components generated from zod', () => {
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining([
        'Product',
        'ProductPage',
        'CreateProductRequest',
        'ChangeProductRequest',
        'StockAdjustmentRequest',
        'Problem',
      ]),
    );
  });
});
