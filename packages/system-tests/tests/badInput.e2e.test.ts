import { type Json, useLocalCloud } from './helpers';

// A corpus of bad requests for every HTTP endpoint, through the single base URL: each must get a
// 4xx (a 400 names the offending field), none a 5xx, and none may store or publish anything.

jest.setTimeout(240_000);

const local = useLocalCloud('bad-input-bus-tap');

const CUSTOMER = 'corpus-customer';
const goodLine = {
  productId: 'prod-espresso-beans',
  quantity: 1,
  unitPrice: { amount: 1450, currency: 'EUR' },
};
const goodOrder = {
  customerId: CUSTOMER,
  customerEmail: 'corpus@example.com',
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
}

const corpus: BadRequest[] = [
  // POST /orders: malformed and wrong bodies
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/orders',
    body: '{"customerId": ',
    field: 'body',
  },
  { name: 'empty body', method: 'POST', path: '/orders', body: '', field: 'body' },
  { name: 'JSON array', method: 'POST', path: '/orders', body: '[]', field: '' },
  { name: 'JSON null', method: 'POST', path: '/orders', body: 'null', field: 'body' },
  {
    name: 'missing customerId',
    method: 'POST',
    path: '/orders',
    body: order({ customerId: undefined }),
    field: 'customerId',
  },
  {
    name: 'number as customerId',
    method: 'POST',
    path: '/orders',
    body: order({ customerId: 42 }),
    field: 'customerId',
  },
  {
    name: 'bad email',
    method: 'POST',
    path: '/orders',
    body: order({ customerEmail: 'not-an-email' }),
    field: 'customerEmail',
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
    field: '',
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
    body: order({ customerId: 'x'.repeat(1024 * 1024) }),
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
  { name: 'list without customerId', method: 'GET', path: '/orders', field: 'customerId' },
  {
    name: 'limit 0',
    method: 'GET',
    path: `/orders?customerId=${CUSTOMER}&limit=0`,
    field: 'limit',
  },
  {
    name: 'limit not a number',
    method: 'GET',
    path: `/orders?customerId=${CUSTOMER}&limit=abc`,
    field: 'limit',
  },
  {
    name: 'limit too large',
    method: 'GET',
    path: `/orders?customerId=${CUSTOMER}&limit=1000`,
    field: 'limit',
  },
  {
    name: 'forged cursor',
    method: 'GET',
    path: `/orders?customerId=${CUSTOMER}&cursor=eyJ4IjoxfQ`,
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
  { name: 'POST /products', method: 'POST', path: '/products', body: '{}', status: 405 },
  { name: 'DELETE /analytics/summary', method: 'DELETE', path: '/analytics/summary', status: 405 },
  {
    name: 'upload of a PDF',
    method: 'POST',
    path: '/uploads',
    body: JSON.stringify({ fileName: 'a.pdf', contentType: 'application/pdf', contentLength: 10 }),
    field: 'contentType',
  },
  {
    name: 'upload too large',
    method: 'POST',
    path: '/uploads',
    body: JSON.stringify({ fileName: 'a.jpg', contentType: 'image/jpeg', contentLength: 10 ** 12 }),
    field: 'contentLength',
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
  },
];

it('answers every bad request with a 4xx naming the offending field, stores nothing and publishes nothing', async () => {
  const results: { name: string; status: number; body: Json }[] = [];
  for (const request of corpus) {
    const response = await fetch(`${local.cloud.baseUrl}${request.path}`, {
      method: request.method,
      headers:
        request.body !== undefined
          ? { 'Content-Type': request.contentType ?? 'application/json' }
          : {},
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
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

  const stored = await (await fetch(`${local.cloud.baseUrl}/orders?customerId=${CUSTOMER}`)).json();
  expect(stored).toEqual({ items: [] });
  const published = (await local.bus.drain()).filter((event) => event.eventType === 'OrderCreated');
  expect(published).toEqual([]);
});
