import { correlationIdHeader, problemResponse } from '@shop/lambda-http';
import {
  ListOrdersQuerySchema,
  OrderPageSchema,
  OrderViewSchema,
  PlaceOrderRequestSchema,
} from '@shop/order-domain';
import { z } from 'zod';
import { createDocument } from 'zod-openapi';

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
              headers: { ...correlationIdHeader, Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: OrderViewSchema, example: exampleOrder } },
            },
            '400': problemResponse('Invalid body; every offending field is named.'),
            '409': problemResponse(
              'The Idempotency-Key was used with another body, or is still in progress.',
            ),
            '413': problemResponse('Body too large.'),
            '415': problemResponse('Not application/json.'),
          },
        },
        get: {
          operationId: 'listOrders',
          summary: "List a customer's orders, newest first",
          requestParams: { query: ListOrdersQuerySchema },
          responses: {
            '200': {
              description: 'One page of orders.',
              headers: correlationIdHeader,
              content: {
                'application/json': { schema: OrderPageSchema, example: { items: [exampleOrder] } },
              },
            },
            '400': problemResponse('Missing customerId, bad limit or cursor.'),
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
              headers: correlationIdHeader,
              content: { 'application/json': { schema: OrderViewSchema, example: exampleOrder } },
            },
            '404': problemResponse('No such order.'),
          },
        },
      },
    },
  });
}
