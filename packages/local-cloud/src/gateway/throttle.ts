/** Stage throttling as `AWS::ApiGatewayV2::Stage` DefaultRouteSettings declare it. */
export interface ThrottleSettings {
  /** Steady requests per second. */
  rateLimit: number;
  /** Requests a route absorbs at once. */
  burstLimit: number;
}

/**
 * A token bucket, the algorithm API Gateway throttles with: it holds up to `burstLimit` tokens,
 * refills `rateLimit` per second, and each request takes one or is refused.
 */
export class TokenBucket {
  #tokens: number;
  #refilledAt: number;

  constructor(
    private readonly settings: ThrottleSettings,
    now = Date.now(),
  ) {
    this.#tokens = settings.burstLimit;
    this.#refilledAt = now;
  }

  /** Takes a token; false means the request is over the limit. */
  take(now = Date.now()): boolean {
    const elapsedSeconds = Math.max(0, now - this.#refilledAt) / 1000;
    this.#tokens = Math.min(
      this.settings.burstLimit,
      this.#tokens + elapsedSeconds * this.settings.rateLimit,
    );
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** The stage's default route throttling, if the template sets one. */
export function stageThrottle(
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>,
): ThrottleSettings | undefined {
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGatewayV2::Stage') continue;
    const settings = resource.Properties?.DefaultRouteSettings as
      | { ThrottlingRateLimit?: unknown; ThrottlingBurstLimit?: unknown }
      | undefined;
    const rateLimit = Number(settings?.ThrottlingRateLimit);
    const burstLimit = Number(settings?.ThrottlingBurstLimit);
    if (Number.isFinite(rateLimit) && Number.isFinite(burstLimit)) return { rateLimit, burstLimit };
  }
  return undefined;
}
