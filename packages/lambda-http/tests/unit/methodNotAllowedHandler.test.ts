import { apiGatewayEvent, customerClaims, fakeContext } from '@shop/testing';
import { methodNotAllowedHandler } from '../../src/methodNotAllowedHandler';

const handler = methodNotAllowedHandler({
  '/orders': ['GET', 'POST'],
  '/orders/{id}': ['GET'],
  '/products/{productId}/images/{imageId}': ['GET', 'PUT', 'DELETE'],
});

const bodyOf = (response: { body?: string }) => JSON.parse(String(response.body));

describe('Function: methodNotAllowedHandler', () => {
  it('answers 405 with the allowed methods plus OPTIONS, matched by routeKey', async () => {
    // Act
    const response = await handler(
      apiGatewayEvent({ method: 'DELETE', path: '/orders', routeKey: 'ANY /orders' }),
      fakeContext(),
    );

    // Assess
    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({
      Allow: 'GET, POST, OPTIONS',
      'Content-Type': 'application/problem+json; charset=utf-8',
    });
    expect(bodyOf(response)).toEqual({
      type: 'about:blank',
      title: 'Method Not Allowed',
      status: 405,
      detail: 'DELETE is not supported here; use GET, POST, OPTIONS',
    });
  });

  it('matches a templated routeKey exactly', async () => {
    const response = await handler(
      apiGatewayEvent({ method: 'DELETE', path: '/orders/42', routeKey: 'ANY /orders/{id}' }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe('GET, OPTIONS');
  });

  it('matches by raw path when the routeKey is $default', async () => {
    const response = await handler(
      apiGatewayEvent({ method: 'DELETE', path: '/orders/42', routeKey: '$default' }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe('GET, OPTIONS');
  });

  it.each([
    ['/orders', 'GET, POST, OPTIONS'],
    ['/orders/', 'GET, POST, OPTIONS'],
    ['/orders/01JD6Z8Q4J7W6E1N2M3K4P5R6S', 'GET, OPTIONS'],
    ['/products/p-1/images/img-9', 'GET, PUT, DELETE, OPTIONS'],
  ])('matches the raw path %s under $default', async (path, allow) => {
    const response = await handler(
      apiGatewayEvent({ method: 'TRACE', path, routeKey: '$default' }),
      fakeContext(),
    );

    expect(response.headers?.Allow).toBe(allow);
  });

  it('does not let a path parameter span several segments', async () => {
    const response = await handler(
      apiGatewayEvent({ method: 'DELETE', path: '/orders/42/lines', routeKey: '$default' }),
      fakeContext(),
    );

    expect(response.headers?.Allow).toBe('OPTIONS');
  });

  it('allows only OPTIONS for a path it does not know', async () => {
    const response = await handler(
      apiGatewayEvent({ method: 'GET', path: '/carts', routeKey: '$default' }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe('OPTIONS');
  });

  it('answers 405 to a PUT that carries a JSON body', async () => {
    const response = await handler(
      apiGatewayEvent({
        method: 'PUT',
        path: '/orders/42',
        routeKey: 'ANY /orders/{id}',
        headers: { 'content-type': 'application/json' },
        body: { status: 'CANCELLED' },
      }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe('GET, OPTIONS');
  });

  // A method without a route must get 405, never the 415/400/413 of a body it will not read.
  it.each([
    ['POST without a body', { method: 'POST' }],
    [
      'POST over the body size limit',
      { method: 'POST', body: 'x'.repeat(70_000), headers: { 'content-type': 'application/json' } },
    ],
    [
      'PUT with a form body',
      { method: 'PUT', body: 'a=1', headers: { 'content-type': 'text/plain' } },
    ],
    [
      'PATCH with an empty JSON body',
      { method: 'PATCH', headers: { 'content-type': 'application/json' } },
    ],
  ])('answers 405 to a %s, without reading the body', async (_case, request) => {
    const response = await handler(
      apiGatewayEvent({ path: '/orders/42', routeKey: 'ANY /orders/{id}', ...request }),
      fakeContext(),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe('GET, OPTIONS');
  });

  it('echoes the correlation id', async () => {
    const response = await handler(
      apiGatewayEvent({
        method: 'DELETE',
        path: '/orders',
        routeKey: 'ANY /orders',
        headers: { 'X-Request-ID': 'req-405' },
      }),
      fakeContext(),
    );

    expect(response.headers?.['X-Correlation-Id']).toBe('req-405');
  });

  it('answers 405, not 401, without a token, and with one', async () => {
    const event = { method: 'DELETE', path: '/orders', routeKey: 'ANY /orders' };

    const anonymous = await handler(apiGatewayEvent(event), fakeContext());
    const signedIn = await handler(
      apiGatewayEvent({ ...event, claims: customerClaims() }),
      fakeContext(),
    );

    expect(anonymous.statusCode).toBe(405);
    expect(anonymous.headers).not.toHaveProperty('WWW-Authenticate');
    expect(signedIn.statusCode).toBe(405);
  });
});
