import { ListOrdersQuerySchema, PlaceOrderRequestSchema } from '@shop/order-domain';
import { z } from 'zod';
import { openApiDocument } from '../../src/openapi';

type Operation = {
  operationId: string;
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
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
      const requiredParameters = (operation.parameters ?? []).filter((p) => p.required);
      const parameterExamples = requiredParameters.map(exampleOf);
      expect({
        id: operation.operationId,
        hasExample: bodyExample !== undefined || parameterExamples.length > 0,
      }).toEqual({
        id: operation.operationId,
        hasExample: true,
      });
      expect(parameterExamples.every((example) => example !== undefined)).toBe(true);
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

    expect(query).toHaveProperty('customerId');
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
});
