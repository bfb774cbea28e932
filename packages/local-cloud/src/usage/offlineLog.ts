/** One invocation as serverless-offline reports it in its log. */
export interface LoggedInvocation {
  /** The function's key in serverless.yml (`createOrder`), not its deployed name. */
  functionKey: string;
  requestId: string;
  durationMs: number;
  billedMs: number;
}

// `(λ: createOrder) RequestId: 391c…  Duration: 315.86 ms  Billed Duration: 316 ms`
const INVOCATION_LINE =
  /\(λ: ([^)]+)\) RequestId: (\S+)\s+Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms/;

/**
 * The invocation a serverless-offline log line reports, if it reports one. serverless-offline times
 * the handler alone (not the HTTP or invoke round trip) and prints a line after each invocation
 * that returned; a handler that threw prints none.
 *
 * @example
 * loggedInvocation('(λ: getOrder) RequestId: r-1  Duration: 12.40 ms  Billed Duration: 13 ms');
 * // { functionKey: 'getOrder', requestId: 'r-1', durationMs: 12.4, billedMs: 13 }
 */
export function loggedInvocation(line: string): LoggedInvocation | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes of a terminal
  const match = INVOCATION_LINE.exec(line.replace(/\u001b\[[\d;]*m/g, ''));
  if (!match) return undefined;
  return {
    functionKey: match[1] as string,
    requestId: match[2] as string,
    durationMs: Number(match[3]),
    billedMs: Number(match[4]),
  };
}
