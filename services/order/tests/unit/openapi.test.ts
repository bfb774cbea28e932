import * as z from '@shop/contracts/zod';
import { ListOrdersQuerySchema, PlaceOrderRequestSchema } from '@shop/order-domain';
import { openApiDocument } from '../../src/openapi';

type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { headers?: Record<string, unknown> }>;
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    example?: unknown;
    schema?: { example?: unknown };
  }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
};

const document = openApiDocument();
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({
    path,
    method,
    operation,
  })),
);

/** A parameter's example, wherever the generator put it. */
const exampleOf = (parameter: NonNullable<Operation['parameters']>[number]) =>
  parameter.example ?? parameter.schema?.example;

describe('OpenAPI document of the order API', () => {
  it('documents the three operations of the API', () => {
    expect(operations.map((o) => o.operation.operationId).sort()).toEqual([
      'getOrder',
      'listOrders',
      'placeOrder',
    ]);
  });

  it('gives every operation a request example', () => {
    for (const { operation } of operations) {
      const bodyExample = operation.requestBody?.content['application/json']?.example;
      const parameters = operation.parameters ?? [];
      const parameterExamples = parameters.map(exampleOf).filter((e) => e !== undefined);
      expect({
        id: operation.operationId,
        hasExample: bodyExample !== undefined || parameterExamples.length > 0,
      }).toEqual({
        id: operation.operationId,
        hasExample: true,
      });
      const requiredParameters = parameters.filter((p) => p.required);
      expect(requiredParameters.every((p) => exampleOf(p) !== undefined)).toBe(true);
    }
  });

  it('has a placeOrder body example that the handler schema accepts', () => {
    const placeOrder = operations.find((o) => o.operation.operationId === 'placeOrder')?.operation;
    const example = placeOrder?.requestBody?.content['application/json']?.example;

    expect(PlaceOrderRequestSchema.safeParse(example).success).toBe(true);
  });

  it('has listOrders query examples that the handler schema accepts as query strings', () => {
    const listOrders = operations.find((o) => o.operation.operationId === 'listOrders')?.operation;
    const query = Object.fromEntries(
      (listOrders?.parameters ?? [])
        .filter((p) => p.in === 'query' && exampleOf(p) !== undefined)
        .map((p) => [p.name, String(exampleOf(p))]),
    );

    expect(Object.keys(query).length).toBeGreaterThan(0);
    expect(ListOrdersQuerySchema.safeParse(query).success).toBe(true);
  });

  it('has a getOrder path example that is a valid order id', () => {
    const getOrder = operations.find((o) => o.operation.operationId === 'getOrder')?.operation;
    const id = exampleOf(
      getOrder?.parameters?.find((p) => p.name === 'id') ?? { name: 'id', in: 'path' },
    );

    expect(z.uuid().safeParse(id).success).toBe(true);
  });

  it('shares schemas as components generated from zod', () => {
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['PlaceOrderRequest', 'Order', 'OrderPage', 'Problem']),
    );
  });

  it('declares the bearer scheme and requires it on every operation', () => {
    expect(document.components?.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
    for (const { operation } of operations) {
      expect({ id: operation.operationId, security: operation.security }).toEqual({
        id: operation.operationId,
        security: [{ bearerAuth: [] }],
      });
    }
  });

  it('documents 401 with WWW-Authenticate on every operation', () => {
    for (const { operation } of operations) {
      expect({
        id: operation.operationId,
        header: Object.keys(operation.responses['401']?.headers ?? {}),
      }).toEqual({ id: operation.operationId, header: ['WWW-Authenticate'] });
    }
  });

  it('documents 403 for placeOrder, whose token must carry a verified email', () => {
    const placeOrder = operations.find((o) => o.operation.operationId === 'placeOrder')?.operation;

    expect(placeOrder?.responses).toHaveProperty('403');
  });

  it('makes customerId an optional listOrders parameter, for administrators', () => {
    const listOrders = operations.find((o) => o.operation.operationId === 'listOrders')?.operation;
    const customerId = listOrders?.parameters?.find((p) => p.name === 'customerId');

    expect(customerId).toMatchObject({ in: 'query', description: expect.stringMatching(/admin/i) });
    expect(customerId?.required).not.toBe(true);
  });

  it('has a placeOrder body example without the fields the token supplies', () => {
    const placeOrder = operations.find((o) => o.operation.operationId === 'placeOrder')?.operation;
    const example = placeOrder?.requestBody?.content['application/json']?.example;

    expect(example).not.toHaveProperty('customerId');
    expect(example).not.toHaveProperty('customerEmail');
  });
});
