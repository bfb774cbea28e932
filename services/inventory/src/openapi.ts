import * as z from '@shop/contracts/zod';
import {
  ChangeProductRequestSchema,
  CreateProductRequestSchema,
  ListProductsQuerySchema,
  ProductPageSchema,
  ProductSchema,
  StockAdjustmentRequestSchema,
} from '@shop/inventory-domain';
import {
  authResponses,
  bearerSecurityScheme,
  correlationIdHeader,
  problemResponse,
  secured,
} from '@shop/lambda-http';
import { createDocument } from 'zod-openapi';

const exampleProduct = z.globalRegistry.get(ProductSchema)?.example;

const productPath = z.object({
  id: z.string().register(z.globalRegistry, { example: 'prod-espresso-beans' }),
});

const etagHeader = {
  ETag: {
    description:
      'The version of the product, e.g. `"v3"`. Send it back in `If-Match` to change the product.',
    schema: { type: 'string' as const },
  },
};

/** `If-Match`, as every conditional write of an administrator requires it. */
const ifMatchHeader = z.object({
  'If-Match': z.string().register(z.globalRegistry, {
    description:
      'The `ETag` of the product as last read. Required: without it the write is refused (428); ' +
      'when the product has changed since, it is refused too (412).',
    example: '"v3"',
  }),
});

const problemExample = (status: number, title: string, detail: string) => ({
  type: 'about:blank',
  title,
  status,
  detail,
});

const conditionalWriteResponses = {
  '412': problemResponse(
    'The product changed since it was read (or If-Match is not one of its ETags); read it again.',
    problemExample(
      412,
      'Precondition Failed',
      'product prod-espresso-beans changed since you read it: it is at "v4", you sent "v3"; ' +
        'read it again and reapply your change',
    ),
  ),
  '428': problemResponse(
    'If-Match is missing.',
    problemExample(
      428,
      'Precondition Required',
      'send If-Match with the ETag of the product you read (GET /products/{id}), e.g. If-Match: "v3"',
    ),
  ),
};

const productResponse = (description: string) => ({
  description,
  headers: { ...correlationIdHeader, ...etagHeader },
  content: { 'application/json': { schema: ProductSchema, example: exampleProduct } },
});

const bodyResponses = {
  '413': problemResponse('Body too large.'),
  '415': problemResponse('Not application/json.'),
};

/**
 * The catalog API as OpenAPI 3.1, generated from the zod schemas the handlers validate and answer
 * with, so the document cannot drift from the code. Reading is public; writing is for members of
 * the `admin` group, and every change to an existing product is conditional on its `ETag`.
 *
 * @example
 * ```ts
 * openApiDocument().paths?.['/products']?.post?.operationId; // 'createProduct'
 * ```
 */
export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'serverless-shop catalog API',
      version: '1.1.0',
      description:
        'Products with their price (integer cents) and current stock. Administrators create ' +
        'products, change them and adjust stock under optimistic concurrency (ETag / If-Match).',
    },
    components: { securitySchemes: bearerSecurityScheme },
    paths: {
      '/products': {
        get: {
          operationId: 'listProducts',
          summary: 'List the catalog',
          ...secured('public'),
          requestParams: {
            query: z.extend(ListProductsQuerySchema, {
              cursor: ListProductsQuerySchema.shape.cursor.clone().register(z.globalRegistry, {
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
        post: {
          operationId: 'createProduct',
          summary: 'Add a product (administrators)',
          ...secured('admin'),
          requestBody: {
            content: {
              'application/json': {
                schema: CreateProductRequestSchema,
                example: z.globalRegistry.get(CreateProductRequestSchema)?.example,
              },
            },
          },
          responses: {
            '201': {
              ...productResponse('The product, at version 1.'),
              headers: {
                ...correlationIdHeader,
                ...etagHeader,
                Location: { schema: { type: 'string' } },
              },
            },
            '400': problemResponse('Invalid body; every offending or unknown field is named.'),
            ...authResponses('admin'),
            '409': problemResponse(
              'A product with this id exists.',
              problemExample(
                409,
                'Conflict',
                'product prod-filter-papers already exists; change it with PATCH instead',
              ),
            ),
            ...bodyResponses,
          },
        },
      },
      '/products/{id}': {
        get: {
          operationId: 'getProduct',
          summary: 'Get a product with its current stock',
          ...secured('public'),
          requestParams: { path: productPath },
          responses: {
            '200': productResponse('The product; its ETag is its version.'),
            '404': problemResponse('No such product.'),
          },
        },
        patch: {
          operationId: 'changeProduct',
          summary: 'Change name, description or price (administrators)',
          description:
            'A new price applies to orders placed from now on; orders placed before still reserve ' +
            'stock at the price they were quoted. Stock changes through stock adjustments only.',
          ...secured('admin'),
          requestParams: { path: productPath, header: ifMatchHeader },
          requestBody: {
            content: {
              'application/json': {
                schema: ChangeProductRequestSchema,
                example: z.globalRegistry.get(ChangeProductRequestSchema)?.example,
              },
            },
          },
          responses: {
            '200': productResponse('The changed product, with its new ETag.'),
            '400': problemResponse('Invalid body; every offending or unknown field is named.'),
            ...authResponses('admin'),
            '404': problemResponse('No such product.'),
            ...conditionalWriteResponses,
            ...bodyResponses,
          },
        },
      },
      '/products/{id}/stock-adjustments': {
        post: {
          operationId: 'adjustStock',
          summary: 'Restock or correct the stock (administrators)',
          description:
            'Adds `delta` to the stock as it stands when the adjustment is applied, so units that ' +
            'orders reserved meanwhile stay reserved. Publishes InventoryUpdated (RESTOCKED or ' +
            'CORRECTED, with the note).',
          ...secured('admin'),
          requestParams: { path: productPath, header: ifMatchHeader },
          requestBody: {
            content: {
              'application/json': {
                schema: StockAdjustmentRequestSchema,
                example: z.globalRegistry.get(StockAdjustmentRequestSchema)?.example,
              },
            },
          },
          responses: {
            '200': productResponse('The product with its new stock and ETag.'),
            '400': problemResponse('Invalid body; every offending or unknown field is named.'),
            ...authResponses('admin'),
            '404': problemResponse('No such product.'),
            '409': problemResponse(
              'The stock would go below zero; nothing was changed.',
              problemExample(
                409,
                'Conflict',
                'product prod-espresso-beans has 2 in stock; removing 5 would take it below 0',
              ),
            ),
            ...conditionalWriteResponses,
            ...bodyResponses,
          },
        },
      },
    },
  });
}
