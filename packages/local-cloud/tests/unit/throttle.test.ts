import { stageThrottle, TokenBucket } from '../../src/gateway/throttle';

describe('Class: TokenBucket', () => {
  it('lets a burst through, then refuses until tokens refill at the rate', () => {
    // Prepare
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 3 }, 0);

    // Act
    const burst = [bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)];
    const after50ms = bucket.take(50);
    const after100ms = bucket.take(100);

    // Assess
    expect(burst).toEqual([true, true, true, false]);
    expect(after50ms).toBe(false); // half a token
    expect(after100ms).toBe(true); // 10/s → one token per 100 ms
  });

  it('never holds more than the burst, however long it was idle', () => {
    // Prepare
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 2 }, 0);

    // Act
    const taken = [60_000, 60_000, 60_000].map((now) => bucket.take(now));

    // Assess
    expect(taken).toEqual([true, true, false]);
  });
});

describe('Function: stageThrottle', () => {
  it('reads the default route settings of the HTTP API stage', () => {
    expect(
      stageThrottle({
        HttpApiStage: {
          Type: 'AWS::ApiGatewayV2::Stage',
          Properties: {
            DefaultRouteSettings: { ThrottlingRateLimit: 400, ThrottlingBurstLimit: 200 },
          },
        },
      }),
    ).toEqual({ rateLimit: 400, burstLimit: 200 });
  });

  it('is undefined for a stage without throttling', () => {
    expect(
      stageThrottle({
        HttpApiStage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { StageName: '$default' } },
      }),
    ).toBeUndefined();
  });
});
