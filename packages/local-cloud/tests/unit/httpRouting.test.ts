import {
  compileRoutes,
  type HttpRoute,
  matchRoute,
  routesFromTemplate,
} from '../../src/gateway/httpRouter';

const route = (method: string, path: string, service = 'order'): HttpRoute => ({
  method,
  path,
  service,
  port: 3001,
});

describe('Function: matchRoute', () => {
  const routes = compileRoutes([
    route('GET', '/orders/{id}'),
    route('GET', '/orders'),
    route('POST', '/orders'),
    route('GET', '/orders/summary', 'analytics'),
    route('ANY', '/media/{proxy+}', 'thumbnail'),
    route('PUT', '/media/{proxy+}', 'uploads'),
    route('GET', '/products/{id}', 'inventory'),
    route('ANY', '/products/{id}', 'inventory-admin'),
  ]);
  const target = (method: string, path: string) => {
    const found = matchRoute(routes, method, path);
    return found && `${found.service} ${found.method} ${found.path}`;
  };

  it.each([
    ['GET', '/orders', 'order GET /orders'],
    ['POST', '/orders', 'order POST /orders'],
    ['GET', '/orders/', 'order GET /orders'],
    ['GET', '/orders/o-1', 'order GET /orders/{id}'],
    ['GET', '/orders/summary', 'analytics GET /orders/summary'],
    ['GET', '/media/a/b/c.png', 'thumbnail ANY /media/{proxy+}'],
    ['PUT', '/media/a/b/c.png', 'uploads PUT /media/{proxy+}'],
    ['GET', '/products/p-1', 'inventory GET /products/{id}'],
    ['DELETE', '/products/p-1', 'inventory-admin ANY /products/{id}'],
  ])('routes %s %s to %s', (method, path, expected) => {
    expect(target(method, path)).toBe(expected);
  });

  it.each([
    ['GET', '/nothing'],
    ['GET', '/orders/o-1/lines'],
    ['GET', '/media'],
    ['DELETE', '/orders/o-1'],
  ])('finds no route for %s %s', (method, path) => {
    expect(target(method, path)).toBeUndefined();
  });

  it('sends a CORS preflight to the service owning the path', () => {
    expect(target('OPTIONS', '/orders/o-1')).toBe('order GET /orders/{id}');
  });

  it('matches path segments literally, not as regular expressions', () => {
    // Prepare
    const dotted = compileRoutes([route('GET', '/v1.0/items')]);

    // Act & Assess
    expect(matchRoute(dotted, 'GET', '/v1.0/items')).toBeDefined();
    expect(matchRoute(dotted, 'GET', '/v1x0/items')).toBeUndefined();
  });

  it('gives each route a throttling bucket of its own', () => {
    // Prepare
    const throttled = compileRoutes([
      { ...route('GET', '/a'), throttle: { rateLimit: 1, burstLimit: 1 } },
      { ...route('GET', '/b'), throttle: { rateLimit: 1, burstLimit: 1 } },
    ]);
    const [first, second] = throttled;

    // Act
    const firstTakes = [first?.bucket?.take(0), first?.bucket?.take(0)];
    const secondTakes = [second?.bucket?.take(0)];

    // Assess
    expect(firstTakes).toEqual([true, false]);
    expect(secondTakes).toEqual([true]);
  });
});

describe('Function: routesFromTemplate', () => {
  const resources = {
    Api: { Type: 'AWS::ApiGatewayV2::Api' },
    Stage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: { DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } },
    },
    Authorizer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        IdentitySource: ['$request.header.X-Token'],
        JwtConfiguration: {
          Issuer: { 'Fn::ImportValue': 'issuer' },
          Audience: [{ 'Fn::ImportValue': 'client' }],
        },
      },
    },
    Private: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        RouteKey: 'GET /orders',
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: 'Authorizer' },
      },
    },
    Public: { Type: 'AWS::ApiGatewayV2::Route', Properties: { RouteKey: 'GET /products' } },
    Default: { Type: 'AWS::ApiGatewayV2::Route', Properties: { RouteKey: '$default' } },
  };
  const imports: Record<string, unknown> = {
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool',
    client: 'client-1',
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    const name = (value as { 'Fn::ImportValue'?: string })['Fn::ImportValue'];
    return name === undefined ? value : imports[name];
  };

  it('reads each route with its JWT authorizer and the stage throttling, skipping $default', () => {
    // Act
    const routes = routesFromTemplate(resources, 'order', 3001, resolve);

    // Assess
    const throttle = { rateLimit: 50, burstLimit: 100 };
    expect(routes).toEqual([
      {
        method: 'GET',
        path: '/orders',
        service: 'order',
        port: 3001,
        throttle,
        authorizer: {
          issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool',
          audience: ['client-1'],
          header: 'x-token',
        },
      },
      { method: 'GET', path: '/products', service: 'order', port: 3001, throttle },
    ]);
  });

  it('reads the token from Authorization when the identity source is not a header', () => {
    // Prepare
    const withoutSource = {
      ...resources,
      Authorizer: {
        Type: 'AWS::ApiGatewayV2::Authorizer',
        Properties: { JwtConfiguration: { Issuer: 'https://issuer', Audience: ['a'] } },
      },
    };

    // Act
    const [privateRoute] = routesFromTemplate(withoutSource, 'order', 3001);

    // Assess
    expect(privateRoute?.authorizer?.header).toBe('authorization');
  });

  it('refuses a JWT route whose authorizer has no JwtConfiguration', () => {
    // Prepare
    const broken = { ...resources, Authorizer: { Type: 'AWS::ApiGatewayV2::Authorizer' } };

    // Act & Assess
    expect(() => routesFromTemplate(broken, 'order', 3001)).toThrow(
      'route authorizer Authorizer has no JwtConfiguration',
    );
  });

  it('leaves routes unthrottled when the stage sets no limits', () => {
    // Prepare
    const { Stage: _stage, ...withoutStage } = resources;

    // Act
    const routes = routesFromTemplate(withoutStage, 'order', 3001, resolve);

    // Assess
    expect(routes.map((r) => r.throttle)).toEqual([undefined, undefined]);
  });
});
