import { routedServiceName } from '../../src/gateway/awsGateway';

const signedFor = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=local/20261127/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
});

describe('Function: routedServiceName', () => {
  it('routes a signed request to the service its signature names', () => {
    expect(routedServiceName({ method: 'POST', url: '/', headers: signedFor('sqs') })).toBe('sqs');
    expect(routedServiceName({ method: 'POST', url: '/', headers: signedFor('cognito-idp') })).toBe(
      'cognito-idp',
    );
  });

  it('routes a presigned URL by its X-Amz-Credential', () => {
    expect(
      routedServiceName({
        method: 'PUT',
        url: '/bucket/key?X-Amz-Credential=local%2F20261127%2Feu-west-1%2Fs3%2Faws4_request',
        headers: {},
      }),
    ).toBe('s3');
  });

  it.each(['InitiateAuth', 'SignUp', 'ConfirmSignUp', 'RespondToAuthChallenge'])(
    'routes unsigned Cognito user-pool calls (%s) to cognito-idp',
    (action) => {
      expect(
        routedServiceName({
          method: 'POST',
          url: '/',
          headers: { 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
        }),
      ).toBe('cognito-idp');
    },
  );

  it.each([
    '/eu-west-1_AbC123xyZ/.well-known/openid-configuration',
    '/eu-west-1_AbC123xyZ/.well-known/jwks.json',
    '/us-gov-west-1_abc/.well-known/jwks.json',
    '/ap-southeast-2_X1/.well-known/jwks.json?cache=no',
  ])('routes the unsigned user-pool discovery GET %s to cognito-idp', (url) => {
    expect(routedServiceName({ method: 'GET', url, headers: {} })).toBe('cognito-idp');
  });

  it.each([
    ['POST', '/eu-west-1_AbC123xyZ/.well-known/jwks.json'],
    ['GET', '/eu-west-1_AbC123xyZ/.well-known/other.json'],
    ['GET', '/eu-west-1_/.well-known/jwks.json'],
    ['GET', '/evil/.well-known/jwks.json'],
    ['GET', '/prefix/eu-west-1_AbC123xyZ/.well-known/jwks.json'],
    ['GET', '/eu-west-1_AbC123xyZ/.well-known/jwks.json/extra'],
  ])('does not route an unsigned %s %s', (method, url) => {
    expect(routedServiceName({ method, url, headers: {} })).toBeUndefined();
  });

  it('leaves other unsigned X-Amz-Target requests unrouted', () => {
    expect(
      routedServiceName({
        method: 'POST',
        url: '/',
        headers: { 'x-amz-target': 'AmazonSQS.ListQueues' },
      }),
    ).toBeUndefined();
  });

  it('lets the signature win over a Cognito-looking path (an S3 bucket may be named so)', () => {
    expect(
      routedServiceName({
        method: 'GET',
        url: '/eu-west-1_abc/.well-known/jwks.json',
        headers: signedFor('s3'),
      }),
    ).toBe('s3');
  });
});
