import {
  ListOrdersQuerySchema,
  OrderPageSchema,
  OrderViewSchema,
  PlaceOrderRequestSchema,
} from '@shop/order-domain';
import { z } from 'zod';
import { createDocument } from 'zod-openapi';

const ProblemSchema = z
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

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

const correlationHeader = {
  'X-Correlation-Id': {
    description: 'Correlation id of the flow: the one sent, or a new one.',
    schema: { type: 'string' as const },
  },
};

const exampleOrder = {
  orderId: '5f0c6a8e-3b2d-4c55-9f59-2a8f4f1f2b11',
  customerId: 'cust-42',
  customerEmail: 'ada@example.com',
  lines: [
    { productId: 'prod-espresso-beans', quantity: 2, unitPrice: { amount: 1450, currency: 'EUR' } },
  ],
  total: { amount: 2900, currency: 'EUR' },
  status: 'PENDING',
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  timeline: [{ at: '2026-11-27T10:00:00.000Z', event: 'OrderPlaced' }],
};

/**
 * The order API as OpenAPI 3.1, generated from the zod schemas the handlers validate with, so the
 * document cannot drift from the code.
 */
export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'serverless-shop order API',
      version: '1.0.0',
      description:
        'Places orders and reports their status. Money is integer cents with a currency.',
    },
    paths: {
      '/orders': {
        post: {
          operationId: 'placeOrder',
          summary: 'Place an order',
          requestParams: {
            header: z.object({
              'Idempotency-Key': z.string().min(1).max(255).optional().meta({
                description: 'Same key and body return the same order; another body gets 409.',
                example: 'checkout-7f3a',
              }),
              'X-Correlation-Id': z.string().optional().meta({ example: 'demo-flow-1' }),
            }),
          },
          requestBody: {
            content: {
              'application/json': {
                schema: PlaceOrderRequestSchema,
                example: PlaceOrderRequestSchema.meta()?.example,
              },
            },
          },
          responses: {
            '201': {
              description:
                'The order is stored as PENDING; OrderCreated is (or will be) published.',
              headers: { ...correlationHeader, Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: OrderViewSchema, example: exampleOrder } },
            },
            '400': problem('Invalid body; every offending field is named.'),
            '409': problem(
              'The Idempotency-Key was used with another body, or is still in progress.',
            ),
            '413': problem('Body too large.'),
            '415': problem('Not application/json.'),
          },
        },
        get: {
          operationId: 'listOrders',
          summary: "List a customer's orders, newest first",
          requestParams: { query: ListOrdersQuerySchema },
          responses: {
            '200': {
              description: 'One page of orders.',
              headers: correlationHeader,
              content: {
                'application/json': { schema: OrderPageSchema, example: { items: [exampleOrder] } },
              },
            },
            '400': problem('Missing customerId, bad limit or cursor.'),
          },
        },
      },
      '/orders/{id}': {
        get: {
          operationId: 'getOrder',
          summary: 'Get an order with its status and timeline',
          requestParams: {
            path: z.object({ id: z.string().meta({ example: exampleOrder.orderId }) }),
          },
          responses: {
            '200': {
              description: 'The order.',
              headers: correlationHeader,
              content: { 'application/json': { schema: OrderViewSchema, example: exampleOrder } },
            },
            '404': problem('No such order.'),
          },
        },
      },
    },
  });
}
