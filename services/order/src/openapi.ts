import * as z from '@shop/contracts/zod';
import {
  authResponses,
  bearerSecurityScheme,
  correlationIdHeader,
  problemResponse,
  secured,
} from '@shop/lambda-http';
import {
  ListOrdersQuerySchema,
  OrderPageSchema,
  OrderViewSchema,
  PlaceOrderRequestSchema,
} from '@shop/order-domain';
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
  timeline: [{ at: '2026-11-27T10:00:00.000Z', event: 'OrderCreated' }],
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
        'Places orders and reports their status. Money is integer cents with a currency. ' +
        'Every operation needs a Cognito ID token: the customer is the caller (`sub`, verified ' +
        '`email`), and customers see only their own orders.',
    },
    components: { securitySchemes: bearerSecurityScheme },
    paths: {
      '/orders': {
        post: {
          operationId: 'placeOrder',
          summary: 'Place an order as the signed-in customer',
          ...secured('signedIn'),
          requestParams: {
            header: z.object({
              'Idempotency-Key': z
                .optional(z.string().check(z.minLength(1), z.maxLength(255)))
                .register(z.globalRegistry, {
                  description: 'Same key and body return the same order; another body gets 409.',
                  example: 'checkout-7f3a',
                }),
              'X-Correlation-Id': z
                .optional(z.string())
                .register(z.globalRegistry, { example: 'demo-flow-1' }),
            }),
          },
          requestBody: {
            content: {
              'application/json': {
                schema: PlaceOrderRequestSchema,
                example: z.globalRegistry.get(PlaceOrderRequestSchema)?.example,
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
            '400': problemResponse(
              'Invalid body; every offending field is named (`customerId` and `customerEmail` ' +
                'come from the token and are refused in the body).',
            ),
            ...authResponses('signedIn'),
            '403': problemResponse('The token carries no verified email (send the ID token).'),
            '409': problemResponse(
              'The Idempotency-Key was used with another body, or is still in progress.',
            ),
            '413': problemResponse('Body too large.'),
            '415': problemResponse('Not application/json.'),
          },
        },
        get: {
          operationId: 'listOrders',
          summary: "List the caller's orders, newest first",
          description: "Administrators may list any customer's orders with `customerId`.",
          ...secured('signedIn'),
          requestParams: { query: ListOrdersQuerySchema },
          responses: {
            '200': {
              description: 'One page of orders.',
              headers: correlationIdHeader,
              content: {
                'application/json': { schema: OrderPageSchema, example: { items: [exampleOrder] } },
              },
            },
            '400': problemResponse('Bad limit or cursor, or `customerId` from a customer.'),
            ...authResponses('signedIn'),
          },
        },
      },
      '/orders/{id}': {
        get: {
          operationId: 'getOrder',
          summary: 'Get an order with its status and timeline',
          description: "Another customer's order answers 404, exactly like a missing one.",
          ...secured('signedIn'),
          requestParams: {
            path: z.object({
              id: z.string().register(z.globalRegistry, { example: exampleOrder.orderId }),
            }),
          },
          responses: {
            '200': {
              description: 'The order.',
              headers: correlationIdHeader,
              content: { 'application/json': { schema: OrderViewSchema, example: exampleOrder } },
            },
            ...authResponses('signedIn'),
            '404': problemResponse('No such order, or not yours.'),
          },
        },
      },
    },
  });
}
