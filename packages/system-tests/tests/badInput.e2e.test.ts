import { type Json, useLocalCloud } from './helpers';

// A corpus of bad requests for every HTTP endpoint, through the single base URL: each must get a
// 4xx (a 400 names the offending field), none a 5xx, and none may store or publish anything.

jest.setTimeout(240_000);

const local = useLocalCloud('bad-input-bus-tap');

/** The signed-in customer every order request is sent as (admin routes go as the admin). */
const CUSTOMER = `corpus-${Date.now().toString(36)}@example.com`;
const goodLine = {
  productId: 'prod-espresso-beans',
  quantity: 1,
  unitPrice: { amount: 1450, currency: 'EUR' },
};
const goodOrder = {
  lines: [goodLine],
  paymentToken: 'tok_sandbox_success',
};
const order = (patch: Record<string, unknown>) => JSON.stringify({ ...goodOrder, ...patch });
const line = (patch: Record<string, unknown>) => order({ lines: [{ ...goodLine, ...patch }] });

interface BadRequest {
  name: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  /** The field a 400 must name (a dotted path, as the API reports it). */
  field?: string;
  status?: number;
  /** Who sends it: the corpus customer (default), the administrator, or nobody. */
  as?: 'customer' | 'admin' | 'anonymous';
}

const corpus: BadRequest[] = [
  // POST /orders: malformed and wrong bodies
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/orders',
    body: '{"lines": ',
    field: 'body',
  },
  { name: 'empty body', method: 'POST', path: '/orders', body: '', field: 'body' },
  { name: 'JSON array', method: 'POST', path: '/orders', body: '[]', field: 'body' },
  { name: 'JSON null', method: 'POST', path: '/orders', body: 'null', field: 'body' },
  // Who orders comes from the token: a body naming a customer is refused, whatever it says.
  {
    name: 'customerId in the body',
    method: 'POST',
    path: '/orders',
    body: order({ customerId: 42 }),
    field: 'customerId',
  },
  {
    name: 'customerEmail in the body',
    method: 'POST',
    path: '/orders',
    body: order({ customerEmail: 'victim@example.com' }),
    field: 'customerEmail',
  },
  {
    name: 'no token',
    method: 'POST',
    path: '/orders',
    body: order({}),
    as: 'anonymous',
    status: 401,
  },
  { name: 'no lines', method: 'POST', path: '/orders', body: order({ lines: [] }), field: 'lines' },
  {
    name: 'lines not an array',
    method: 'POST',
    path: '/orders',
    body: order({ lines: 'beans' }),
    field: 'lines',
  },
  {
    name: 'quantity 0',
    method: 'POST',
    path: '/orders',
    body: line({ quantity: 0 }),
    field: 'lines.0.quantity',
  },
  {
    name: 'negative quantity',
    method: 'POST',
    path: '/orders',
    body: line({ quantity: -3 }),
    field: 'lines.0.quantity',
  },
  {
    name: 'fractional quantity',
    method: 'POST',
    path: '/orders',
    body: line({ quantity: 1.5 }),
    field: 'lines.0.quantity',
  },
  {
    name: 'quantity as string',
    method: 'POST',
    path: '/orders',
    body: line({ quantity: '2' }),
    field: 'lines.0.quantity',
  },
  {
    name: 'huge quantity',
    method: 'POST',
    path: '/orders',
    body: line({ quantity: 1e12 }),
    field: 'lines.0.quantity',
  },
  {
    name: 'float money',
    method: 'POST',
    path: '/orders',
    body: line({ unitPrice: { amount: 14.5, currency: 'EUR' } }),
    field: 'lines.0.unitPrice.amount',
  },
  {
    name: 'negative money',
    method: 'POST',
    path: '/orders',
    body: line({ unitPrice: { amount: -1, currency: 'EUR' } }),
    field: 'lines.0.unitPrice.amount',
  },
  {
    name: 'money as string',
    method: 'POST',
    path: '/orders',
    body: line({ unitPrice: { amount: '1450', currency: 'EUR' } }),
    field: 'lines.0.unitPrice.amount',
  },
  {
    name: 'lower-case currency',
    method: 'POST',
    path: '/orders',
    body: line({ unitPrice: { amount: 1450, currency: 'eur' } }),
    field: 'lines.0.unitPrice.currency',
  },
  {
    name: 'missing token',
    method: 'POST',
    path: '/orders',
    body: order({ paymentToken: undefined }),
    field: 'paymentToken',
  },
  {
    name: 'unknown field',
    method: 'POST',
    path: '/orders',
    body: order({ discount: 100 }),
    field: 'discount',
  },
  {
    name: 'duplicate product lines',
    method: 'POST',
    path: '/orders',
    body: order({ lines: [goodLine, goodLine] }),
    field: 'lines.1.productId',
  },
  {
    name: 'empty customerId',
    method: 'POST',
    path: '/orders',
    body: order({ customerId: '' }),
    field: 'customerId',
  },
  {
    name: 'emoji-only email',
    method: 'POST',
    path: '/orders',
    body: order({ customerEmail: '☕@☕' }),
    field: 'customerEmail',
  },
  {
    name: 'lone surrogate in email',
    method: 'POST',
    path: '/orders',
    body: '{"customerId":"c","customerEmail":"\\ud800@example.com","lines":[],"paymentToken":"t"}',
    field: 'customerEmail',
  },
  {
    name: '1 MB body',
    method: 'POST',
    path: '/orders',
    body: order({ paymentToken: 'x'.repeat(1024 * 1024) }),
    status: 413,
  },
  {
    name: 'text/plain',
    method: 'POST',
    path: '/orders',
    body: order({}),
    contentType: 'text/plain',
    status: 415,
  },
  {
    name: 'form encoded',
    method: 'POST',
    path: '/orders',
    body: 'customerId=c',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
  },
  { name: 'PUT /orders', method: 'PUT', path: '/orders', body: order({}), status: 405 },
  {
    name: 'DELETE /orders/{id}',
    method: 'DELETE',
    path: '/orders/00000000-0000-4000-8000-000000000000',
    status: 405,
  },
  // GET /orders and /orders/{id}
  {
    name: 'customer naming another customer',
    method: 'GET',
    path: '/orders?customerId=someone-else',
    field: 'customerId',
  },
  {
    name: 'limit 0',
    method: 'GET',
    path: `/orders?limit=0`,
    field: 'limit',
  },
  {
    name: 'limit not a number',
    method: 'GET',
    path: `/orders?limit=abc`,
    field: 'limit',
  },
  {
    name: 'limit too large',
    method: 'GET',
    path: `/orders?limit=1000`,
    field: 'limit',
  },
  {
    name: 'forged cursor',
    method: 'GET',
    path: `/orders?cursor=eyJ4IjoxfQ`,
    field: 'cursor',
  },
  {
    name: 'unknown order',
    method: 'GET',
    path: '/orders/00000000-0000-4000-8000-000000000000',
    status: 404,
  },
  {
    name: 'order id too long',
    method: 'GET',
    path: `/orders/${'x'.repeat(100)}`,
    field: 'orderId',
  },
  // Catalog, analytics, uploads
  { name: 'unknown product', method: 'GET', path: '/products/prod-nope', status: 404 },
  { name: 'products limit 0', method: 'GET', path: '/products?limit=0', field: 'limit' },
  {
    name: 'POST /products as a customer',
    method: 'POST',
    path: '/products',
    body: '{}',
    status: 403,
  },
  {
    name: 'POST /products without a name',
    method: 'POST',
    path: '/products',
    body: JSON.stringify({ productId: 'prod-corpus', price: { amount: 100, currency: 'EUR' } }),
    field: 'name',
    as: 'admin',
  },
  { name: 'DELETE /analytics/summary', method: 'DELETE', path: '/analytics/summary', status: 405 },
  {
    name: 'upload of a PDF',
    method: 'POST',
    path: '/uploads',
    body: JSON.stringify({ fileName: 'a.pdf', contentType: 'application/pdf', contentLength: 10 }),
    field: 'contentType',
    as: 'admin',
  },
  {
    name: 'upload too large',
    method: 'POST',
    path: '/uploads',
    body: JSON.stringify({ fileName: 'a.jpg', contentType: 'image/jpeg', contentLength: 10 ** 12 }),
    field: 'contentLength',
    as: 'admin',
  },
  {
    name: 'upload path traversal',
    method: 'POST',
    path: '/uploads',
    body: JSON.stringify({
      fileName: '../../etc/passwd',
      contentType: 'image/jpeg',
      contentLength: 10,
    }),
    field: 'fileName',
    as: 'admin',
  },
  // Hostile strings stop at the edge: control characters (U+0000–U+001F, U+007F), lone surrogates
  // and Unicode non-characters in identifiers and free text get a 400 naming the field, and page
  // cursors are signed, so a forged or altered one is refused.
  {
    name: 'NUL in productId',
    method: 'POST',
    path: '/orders',
    body: line({ productId: 'prod-\u0000beans' }),
    field: 'lines.0.productId',
  },
  {
    name: 'escape sequence in productId',
    method: 'POST',
    path: '/orders',
    body: line({ productId: '\u001b[2Jprod-espresso-beans' }),
    field: 'lines.0.productId',
  },
  {
    name: 'lone surrogate in productId',
    method: 'POST',
    path: '/orders',
    body: '{"lines":[{"productId":"prod-\\ud800","quantity":1,"unitPrice":{"amount":1450,"currency":"EUR"}}],"paymentToken":"tok_sandbox_success"}',
    field: 'lines.0.productId',
  },
  {
    name: 'non-character in productId',
    method: 'POST',
    path: '/orders',
    body: line({ productId: 'prod-espresso-beans\uffff' }),
    field: 'lines.0.productId',
  },
  {
    name: 'DEL in paymentToken',
    method: 'POST',
    path: '/orders',
    body: order({ paymentToken: 'tok_sandbox_success\u007f' }),
    field: 'paymentToken',
  },
  {
    name: 'lone low surrogate in paymentToken',
    method: 'POST',
    path: '/orders',
    body: '{"lines":[{"productId":"prod-espresso-beans","quantity":1,"unitPrice":{"amount":1450,"currency":"EUR"}}],"paymentToken":"\\udc00tok"}',
    field: 'paymentToken',
  },
  {
    name: 'U+FDD0 in paymentToken',
    method: 'POST',
    path: '/orders',
    body: order({ paymentToken: 'tok\ufdd0' }),
    field: 'paymentToken',
  },
  {
    name: 'right-to-left override in paymentToken',
    method: 'POST',
    path: '/orders',
    body: order({ paymentToken: 'tok_\u202esseccus' }),
    field: 'paymentToken',
  },
  {
    name: 'cursor with a forged signature',
    method: 'GET',
    path: `/orders?cursor=eyJvcmRlcklkIjoieCJ9.${'A'.repeat(43)}`,
    field: 'cursor',
  },
  { name: 'NUL in cursor', method: 'GET', path: '/orders?cursor=abc%00def', field: 'cursor' },
  {
    name: 'unsigned products cursor',
    method: 'GET',
    path: '/products?cursor=eyJwcm9kdWN0SWQiOiJwcm9kLWVzcHJlc3NvLWJlYW5zIn0',
    field: 'cursor',
  },
  {
    name: 'escape sequence in products cursor',
    method: 'GET',
    path: '/products?cursor=%1B%5B2J',
    field: 'cursor',
  },
  {
    name: 'NUL in product name',
    method: 'POST',
    path: '/products',
    body: JSON.stringify({
      productId: 'prod-corpus',
      name: 'Beans\u0000',
      price: { amount: 100, currency: 'EUR' },
    }),
    field: 'name',
    as: 'admin',
  },
  {
    name: 'line feed in product name',
    method: 'POST',
    path: '/products',
    body: JSON.stringify({
      productId: 'prod-corpus',
      name: 'Beans\nFREE',
      price: { amount: 100, currency: 'EUR' },
    }),
    field: 'name',
    as: 'admin',
  },
  {
    name: 'lone surrogate in product description',
    method: 'POST',
    path: '/products',
    body: '{"productId":"prod-corpus","name":"Beans","description":"Fresh \\ud83d","price":{"amount":100,"currency":"EUR"}}',
    field: 'description',
    as: 'admin',
  },
  {
    name: 'non-character in product description',
    method: 'POST',
    path: '/products',
    body: JSON.stringify({
      productId: 'prod-corpus',
      name: 'Beans',
      description: 'Fresh \ufdef',
      price: { amount: 100, currency: 'EUR' },
    }),
    field: 'description',
    as: 'admin',
  },
  {
    name: 'NUL in upload file name',
    method: 'POST',
    path: '/uploads',
    body: JSON.stringify({
      fileName: 'beans\u0000.jpg',
      contentType: 'image/jpeg',
      contentLength: 10,
    }),
    field: 'fileName',
    as: 'admin',
  },
  {
    name: 'escape sequence in upload file name',
    method: 'POST',
    path: '/uploads',
    body: JSON.stringify({
      fileName: '\u001b]0;owned\u0007.jpg',
      contentType: 'image/jpeg',
      contentLength: 10,
    }),
    field: 'fileName',
    as: 'admin',
  },
  {
    name: 'lone surrogate in upload file name',
    method: 'POST',
    path: '/uploads',
    body: '{"fileName":"beans\\udfff.jpg","contentType":"image/jpeg","contentLength":10}',
    field: 'fileName',
    as: 'admin',
  },
];

it('answers every bad request with a 4xx naming the offending field, stores nothing and publishes nothing', async () => {
  const results: { name: string; status: number; body: Json }[] = [];
  /** The correlation ids the edge gave these requests: what they published would carry them. */
  const correlationIds = new Set<string>();
  const auth = {
    customer: await local.shop.auth(CUSTOMER),
    admin: await local.shop.auth('admin'),
    anonymous: {},
  };
  for (const request of corpus) {
    const response = await fetch(`${local.cloud.baseUrl}${request.path}`, {
      method: request.method,
      headers: {
        ...auth[request.as ?? 'customer'],
        ...(request.body !== undefined
          ? { 'Content-Type': request.contentType ?? 'application/json' }
          : {}),
      },
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    const correlationId = response.headers.get('x-correlation-id');
    if (correlationId) correlationIds.add(correlationId);
    const text = await response.text();
    let body: Json;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    results.push({ name: request.name, status: response.status, body });
  }

  const wrong = corpus.flatMap((request, index) => {
    const { status, body } = results[index] as { status: number; body: Json };
    const expected = request.status ?? 400;
    const fieldNamed =
      request.field === undefined ||
      (Array.isArray(body?.issues) &&
        body.issues.some((issue: { path: string }) => issue.path === request.field));
    return status === expected && fieldNamed
      ? []
      : [{ name: request.name, expected, field: request.field, status, body }];
  });
  expect(
    wrong.map(({ name, expected, field, status, body }) => ({
      name,
      expected,
      field,
      status,
      got: Array.isArray(body?.issues)
        ? body.issues.map((i: { path: string }) => i.path)
        : body?.detail,
    })),
  ).toEqual([]);
  expect(results.filter((r) => r.status >= 500)).toEqual([]);

  const stored = await (
    await fetch(`${local.cloud.baseUrl}/orders`, { headers: auth.customer })
  ).json();
  expect(stored).toEqual({ items: [] });
  // Other files' orders may be on the (shared) bus: only those of these requests count.
  const published = (await local.bus.drain()).filter(
    (event) =>
      event.eventType === 'OrderCreated' &&
      (correlationIds.has(event.correlationId) || event.data?.customerEmail === CUSTOMER),
  );
  expect(published).toEqual([]);
});
