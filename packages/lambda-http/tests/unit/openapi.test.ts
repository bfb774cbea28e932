import { adminClaims, apiGatewayEvent, customerClaims, fakeContext } from '@shop/testing';
import { httpHandler } from '../../src/httpHandler';
import {
  authResponses,
  bearerSecurityScheme,
  ProblemSchema,
  problemResponse,
  secured,
} from '../../src/openapi';
import { json } from '../../src/response';

/** The responses by status, as a generator would read them. */
const responsesOf = (access: Parameters<typeof authResponses>[0]): Record<string, unknown> =>
  authResponses(access);

describe('Object: bearerSecurityScheme', () => {
  it('declares Cognito JWTs sent as Authorization: Bearer under the name bearerAuth', () => {
    expect(bearerSecurityScheme).toEqual({
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: expect.stringContaining('`admin` group'),
      },
    });
  });
});

describe('Function: secured', () => {
  it('requires no security on public operations', () => {
    expect(secured('public')).toEqual({ security: [] });
  });

  it.each(['signedIn', 'admin'] as const)(
    'requires the bearer scheme, by its declared name, on %s operations',
    (access) => {
      const { security } = secured(access);

      expect(security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(bearerSecurityScheme)).toEqual(Object.keys(security[0] ?? {}));
    },
  );
});

describe('Function: authResponses', () => {
  it('adds nothing to public operations', () => {
    expect(authResponses('public')).toEqual({});
  });

  it('documents 401 with its WWW-Authenticate header on signedIn operations', () => {
    const responses = responsesOf('signedIn');

    expect(Object.keys(responses)).toEqual(['401']);
    expect(responses['401']).toMatchObject({
      description: expect.any(String),
      headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
    });
  });

  it('documents 401 and a 403 problem on admin operations', () => {
    const responses = responsesOf('admin');

    expect(Object.keys(responses).sort()).toEqual(['401', '403']);
    expect(responses['403']).toEqual(
      problemResponse('Signed in, but not a member of the `admin` group.', {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: 'this operation is for shop administrators (the "admin" group)',
      }),
    );
  });

  it('gives a 403 example that is the problem an admin route answers a customer', async () => {
    // Prepare
    const forbidden = responsesOf('admin')['403'] as ReturnType<typeof problemResponse>;
    const example = forbidden.content['application/problem+json'].example;
    const handler = httpHandler(async () => json(200, {}), { access: 'admin' });

    // Act
    const response = await handler(apiGatewayEvent({ claims: customerClaims() }), fakeContext());
    const allowed = await handler(apiGatewayEvent({ claims: adminClaims() }), fakeContext());

    // Assess
    expect(ProblemSchema.safeParse(example).success).toBe(true);
    expect(JSON.parse(String(response.body))).toEqual(example);
    expect(allowed.statusCode).toBe(200);
  });
});
