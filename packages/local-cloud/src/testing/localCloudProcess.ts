import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stopProcessGroup } from '../services/offline';

export interface LocalCloudProcess {
  baseUrl: string;
  awsEndpoint: string;
  mailViewerUrl: string;
  emulators: { name: string; port: number }[];
  region: string;
  stage: string;
  identity?: { userPoolId: string; clientId: string; issuer: string };
  services: { name: string; httpPort: number; lambdaPort: number }[];
  eventSources: {
    functionName: string;
    queueArn: string;
    batchSize: number;
    reportBatchItemFailures: boolean;
  }[];
  bucketNotifications: {
    bucket: string;
    queueArn: string;
    event: string;
    prefix: string;
    suffix: string;
  }[];
  /** Everything the process printed so far (service logs included). */
  output(): string[];
  stop(): Promise<void>;
}

/**
 * Starts the local cloud in a child process on free ports, the way `pnpm dev` does, and resolves
 * when it is ready. For integration tests: call `stop()` in afterAll. `onLine` gets every line as
 * it comes (a cloud shared by several test processes writes them to a file they read).
 */
export function startLocalCloudProcess(
  options: {
    only?: string[];
    with?: string[];
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    onLine?: (line: string) => void;
  } = {},
): Promise<LocalCloudProcess> {
  const packageDir = join(__dirname, '..', '..');
  const args = [
    join(packageDir, 'src', 'cli.ts'),
    'dev',
    '--json',
    ...(options.only ? ['--only', options.only.join(',')] : []),
    ...(options.with ?? []).flatMap((dir) => ['--with', dir]),
  ];
  const child = spawn(join(packageDir, 'node_modules', '.bin', 'tsx'), args, {
    cwd: packageDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOCAL_CLOUD_HTTP_PORT: '0', LOCAL_CLOUD_AWS_PORT: '0', ...options.env },
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopProcessGroup(child);
      reject(
        new Error(
          `local cloud not ready after ${options.timeoutMs ?? 120_000} ms:\n${lines.slice(-30).join('\n')}`,
        ),
      );
    }, options.timeoutMs ?? 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `local cloud exited (${code}) before it was ready:\n${lines.slice(-30).join('\n')}`,
        ),
      );
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      lines.push(line);
      options.onLine?.(line);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      options.onLine?.(line);
      if (!line.startsWith('{"ready"')) return;
      clearTimeout(timer);
      const { ready } = JSON.parse(line);
      resolve({ ...ready, output: () => [...lines], stop: () => stopProcessGroup(child, 10_000) });
    });
  });
}
