/** One JSON document written as a line: a Powertools log line or an EMF metrics document. */
export type JsonLine = Record<string, unknown>;

/**
 * Collects, instead of printing them, the JSON lines written to stdout and stderr until the mocks
 * are restored (`jest.restoreAllMocks()`); other output is dropped. The array fills as the code
 * under test writes, so read it after acting.
 *
 * @example
 * ```ts
 * const lines = captureJsonLines();
 * logger.setLogLevel('INFO');
 * logger.info('hello');
 * expect(lines).toEqual([expect.objectContaining({ message: 'hello' })]);
 * ```
 */
export function captureJsonLines(): JsonLine[] {
  const lines: JsonLine[] = [];
  const collect = (chunk: unknown) => {
    for (const text of String(chunk).split('\n')) {
      if (text.startsWith('{')) lines.push(JSON.parse(text) as JsonLine);
    }
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(collect);
  jest.spyOn(process.stderr, 'write').mockImplementation(collect);
  return lines;
}
