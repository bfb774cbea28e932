import type { Context } from 'aws-lambda';

/**
 * A Lambda context good enough for handlers under test: fixed ids, a generous remaining time and
 * no-op legacy callbacks. Override any field per test.
 *
 * @example
 * ```ts
 * await handler(apiGatewayEvent({ method: 'GET', path: '/orders' }), fakeContext());
 * ```
 */
export function fakeContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'serverless-shop-test-function',
    functionVersion: '$LATEST',
    invokedFunctionArn:
      'arn:aws:lambda:us-east-1:123456789012:function:serverless-shop-test-function',
    memoryLimitInMB: '128',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/serverless-shop-test-function',
    logStreamName: '2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
