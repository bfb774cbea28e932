import type { CfnResource, PackagedService } from '@shop/local-cloud';
import { packageAllServices } from './helpers/packagedServices';

// Who may call what, read from the packaged stacks: every HTTP route behind the Cognito JWT
// authorizer except the public catalog reads, every HTTP API stage throttled, every queue-fed
// function bounded in concurrency, and the user pool the authorizers trust.

jest.setTimeout(600_000);

/** The routes anyone may call, on purpose: reading the catalog. The OpenAPI document is served
 * outside the APIs. Anything else without the authorizer fails this suite. */
const PUBLIC_ROUTES = ['GET /products', 'GET /products/{id}'];

let services: PackagedService[];

beforeAll(async () => {
  services = await packageAllServices();
});

const resources = (type: string) =>
  services.flatMap((service) =>
    Object.entries(service.template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id, resource]) => ({ service, id, resource: resource as CfnResource })),
  );

describe('Identity and throttling in the packaged templates', () => {
  it('puts every route behind the Cognito JWT authorizer except the public catalog reads', () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map(({ service, resource }) => ({
      service: service.name,
      routeKey: String(resource.Properties?.RouteKey),
      authorizationType: resource.Properties?.AuthorizationType ?? 'NONE',
      authorizer: (resource.Properties?.AuthorizerId as { Ref?: string } | undefined)?.Ref,
    }));
    expect(routes.length).toBeGreaterThan(PUBLIC_ROUTES.length);

    const open = routes.filter((route) => route.authorizationType !== 'JWT');
    expect(open.map((route) => route.routeKey).sort()).toEqual([...PUBLIC_ROUTES].sort());
    for (const route of routes.filter((r) => r.authorizationType === 'JWT')) {
      expect({ route: route.routeKey, authorizer: route.authorizer }).toEqual({
        route: route.routeKey,
        authorizer: 'HttpApiAuthorizerCognito',
      });
    }
  });

  it('trusts only the identity stack’s issuer and app client', () => {
    const authorizers = resources('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers.length).toBe(resources('AWS::ApiGatewayV2::Api').length);
    for (const { resource } of authorizers) {
      expect(resource.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Issuer: { 'Fn::ImportValue': 'shop-identity-local-IssuerUrl' },
          Audience: [{ 'Fn::ImportValue': 'shop-identity-local-UserPoolClientId' }],
        },
      });
    }
  });

  it('throttles every HTTP API stage', () => {
    const stages = resources('AWS::ApiGatewayV2::Stage');
    expect(stages.length).toBe(resources('AWS::ApiGatewayV2::Api').length);
    for (const { service, resource } of stages) {
      const settings = resource.Properties?.DefaultRouteSettings as Record<string, unknown>;
      expect({ service: service.name, rate: typeof settings?.ThrottlingRateLimit }).toEqual({
        service: service.name,
        rate: 'number',
      });
      expect(settings.ThrottlingBurstLimit).toEqual(expect.any(Number));
    }
  });

  it('bounds the concurrency of every SQS event source', () => {
    const mappings = resources('AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBeGreaterThan(0);
    for (const { id, resource } of mappings) {
      const maximum = (resource.Properties?.ScalingConfig as { MaximumConcurrency?: number })
        ?.MaximumConcurrency;
      expect({ id, bounded: typeof maximum === 'number' && maximum >= 2 }).toEqual({
        id,
        bounded: true,
      });
    }
  });

  it('lets browsers send the Authorization header', () => {
    for (const { service, resource } of resources('AWS::ApiGatewayV2::Api')) {
      const cors = resource.Properties?.CorsConfiguration as {
        AllowOrigins: string[];
        AllowHeaders: string[];
      };
      expect({ service: service.name, headers: cors.AllowHeaders }).toEqual({
        service: service.name,
        headers: expect.arrayContaining(['Authorization']),
      });
    }
  });

  it('exports the user pool, its issuer and its app client; email sign-in; an admin group', () => {
    const identity = services.find((service) => service.name === 'identity');
    expect(identity).toBeDefined();
    const { Resources, Outputs } = identity?.template ?? { Resources: {}, Outputs: {} };
    const pool = Object.values(Resources).find((r) => r.Type === 'AWS::Cognito::UserPool');
    const client = Object.values(Resources).find((r) => r.Type === 'AWS::Cognito::UserPoolClient');
    const groups = Object.values(Resources).filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup');

    expect(pool?.Properties).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
    });
    expect(client?.Properties).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: expect.arrayContaining([
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
      ]),
    });
    expect(groups.map((g) => g.Properties?.GroupName)).toEqual(['admin']);
    expect(
      Object.values(Outputs ?? {})
        .map((o) => (o as { Export?: { Name: string } }).Export?.Name)
        // The framework also exports its deployment bucket (sls-…); these are the stack's own.
        .filter((name) => name?.startsWith('shop-identity-'))
        .sort(),
    ).toEqual([
      'shop-identity-local-IssuerUrl',
      'shop-identity-local-UserPoolClientId',
      'shop-identity-local-UserPoolId',
    ]);
  });
});
