import { spawn } from 'node:child_process';
import { join } from 'node:path';

// `pnpm demo` is what a newcomer runs first and what CI can run: it must boot the system, show a
// confirmed and a cancelled order, and exit 0 having stopped everything it started.

jest.setTimeout(240_000);

it('runs the demo end to end and exits 0', async () => {
  const packageDir = join(__dirname, '..', '..');
  const child = spawn(join(packageDir, 'node_modules', '.bin', 'tsx'), ['src/cli.ts', 'demo'], {
    cwd: packageDir,
    env: { ...process.env, LOCAL_CLOUD_HTTP_PORT: '0', LOCAL_CLOUD_AWS_PORT: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));

  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

  expect({ code, tail: output.slice(-2000) }).toEqual({ code: 0, tail: expect.any(String) });
  expect(output).toMatch(/order \S+ {2}CONFIRMED/);
  expect(output).toMatch(/order \S+ {2}CANCELLED .*The card was declined\./);
  expect(output).toMatch(/emails sent: 3/);
  expect(output).toMatch(/demo1-\w+ +OrderCreated +order → inventory +ok/);
});
