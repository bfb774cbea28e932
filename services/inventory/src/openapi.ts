import { ListProductsQuerySchema, ProductPageSchema, ProductSchema } from '@shop/inventory-domain';
import { correlationIdHeader, problemResponse } from '@shop/lambda-http';
import { z } from 'zod';
import { createDocument } from 'zod-openapi';

const exampleProduct = ProductSchema.meta()?.example;

/**
 * The catalog API as OpenAPI 3.1, generated from the zod schemas the handlers answer with, so
 * the document cannot drift from the code.
 */
export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'serverless-shop catalog API',
      version: '1.0.0',
      description: 'Products with their price (integer cents) and current stock.',
    },
    paths: {
      '/products': {
        get: {
          operationId: 'listProducts',
          summary: 'List the catalog',
          requestParams: {
            query: ListProductsQuerySchema.extend({
              cursor: ListProductsQuerySchema.shape.cursor.meta({
                description: '`nextCursor` of the previous page.',
              }),
            }),
          },
          responses: {
            '200': {
              description: 'One page of products.',
              headers: correlationIdHeader,
              content: {
                'application/json': {
                  schema: ProductPageSchema,
                  example: { items: [exampleProduct] },
                },
              },
            },
            '400': problemResponse('Bad limit or cursor.'),
          },
        },
      },
      '/products/{id}': {
        get: {
          operationId: 'getProduct',
          summary: 'Get a product with its current stock',
          requestParams: {
            path: z.object({ id: z.string().meta({ example: 'prod-espresso-beans' }) }),
          },
          responses: {
            '200': {
              description: 'The product.',
              headers: correlationIdHeader,
              content: { 'application/json': { schema: ProductSchema, example: exampleProduct } },
            },
            '404': problemResponse('No such product.'),
          },
        },
      },
    },
  });
}
