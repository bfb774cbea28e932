/** How long `pollUntil` keeps asking, and how often. */
export interface PollOptions {
  timeoutMs: number;
  /** Pause between checks; 100 ms unless given. */
  intervalMs?: number;
}

/**
 * Asks `check` until it returns something other than `undefined`, and returns that; past the
 * deadline it fails naming `what` (a function is asked then, so it can say what was seen). A check that throws fails at once: an error is an answer.
 * Tests wait this way, never with a fixed sleep.
 *
 * @example
 * const order = await pollUntil('order decided', async () => {
 *   const found = await getOrder(orderId);
 *   return found.status === 'PENDING' ? undefined : found;
 * }, { timeoutMs: 30_000 });
 */
export async function pollUntil<T>(
  what: string | (() => string),
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs, intervalMs = 100 }: PollOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
