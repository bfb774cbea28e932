import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The aws CLI to run: `$AWS_CLI` when set (and only it), else Debian's `/usr/bin/aws` (it speaks
 * the query protocol), else the first on PATH.
 */
export function findAwsCli(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'aws'));
  const candidates =
    process.env.AWS_CLI !== undefined ? [process.env.AWS_CLI] : ['/usr/bin/aws', ...onPath];
  return candidates.find((file) => {
    if (!file) return false;
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export const NO_AWS_CLI =
  'no aws CLI found: set AWS_CLI, or on Debian 12 run apt-get install -y awscli';

/**
 * `it` when the aws CLI is installed. Without it, CI (`process.env.CI`) gets a test that fails
 * saying so, and elsewhere the test is reported as skipped under a name that says why: a test
 * never passes for having checked nothing.
 *
 * @example
 * itWithAwsCli('accepts uploads from the aws CLI', (cli) => { execFileSync(cli, ['--version']); });
 */
export function itWithAwsCli(name: string, test: (cli: string) => Promise<void> | void): void {
  const cli = findAwsCli();
  if (cli) {
    it(name, async () => {
      await test(cli);
    });
  } else if (process.env.CI) {
    it(name, () => {
      throw new Error(`${NO_AWS_CLI}. CI must run this test.`);
    });
  } else {
    // biome-ignore lint/suspicious/noSkippedTests: reported as skipped, with why, on purpose.
    it.skip(`${name} (skipped: ${NO_AWS_CLI})`, () => {});
  }
}
