import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pollUntil } from '../../src/net';

/** A script running in a child process, and what it printed once ready. */
export interface ChildHarness<Ready> {
  ready: Ready;
  stop(): Promise<void>;
}

/**
 * Runs `script` with tsx in a child process in the package folder, for code jest's CommonJS
 * runtime cannot load (fauxqs ships ESM only). The script prints one JSON line when ready (what
 * the test needs, e.g. endpoints) and stops when its stdin closes.
 */
export async function startChildHarness<Ready>(
  what: string,
  script: string,
): Promise<ChildHarness<Ready>> {
  const packageDir = join(__dirname, '..', '..');
  const child = spawn(join(packageDir, 'node_modules', '.bin', 'tsx'), ['-e', script], {
    cwd: packageDir,
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    await exited;
  };
  try {
    const ready = await pollUntil(
      what,
      async () => {
        if (child.exitCode !== null) throw new Error(`${what}: the child exited:\n${output}`);
        const line = output.split('\n').find((text) => text.startsWith('{'));
        return line ? (JSON.parse(line) as Ready) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    return { ready, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
