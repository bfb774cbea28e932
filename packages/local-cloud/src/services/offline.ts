import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isListening, pollUntil } from '../net';
import type { PackagedService } from './packageService';
import { serverlessBin } from './workspace';

export interface OfflineService {
  service: PackagedService;
  httpPort: number;
  lambdaPort: number;
  /** True when the service declares httpApi events. */
  hasHttpApi: boolean;
  stop(): Promise<void>;
}

export interface StartOfflineOptions {
  httpPort: number;
  lambdaPort: number;
  websocketPort: number;
  env: NodeJS.ProcessEnv;
  /** Every line the service prints (its handlers' JSON logs included). */
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  timeoutMs?: number;
}

/**
 * Runs a service under serverless-offline on 127.0.0.1 with its own HTTP and lambda ports, and
 * resolves once both accept connections. The child is the leader of its own process group, so
 * `stop()` ends it with everything it started.
 */
export async function startOffline(
  service: PackagedService,
  options: StartOfflineOptions,
): Promise<OfflineService> {
  const hasHttpApi = Object.values(service.functions).some((fn) =>
    fn.events.some((event) => 'httpApi' in event),
  );
  const child = spawn(...offlineCommand(service), {
    cwd: service.dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...options.env,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SLS_OFFLINE_HTTP_PORT: String(options.httpPort),
      SLS_OFFLINE_LAMBDA_PORT: String(options.lambdaPort),
      SLS_OFFLINE_WEBSOCKET_PORT: String(options.websocketPort),
    },
  });
  let exited: string | undefined;
  let recent: string[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[stream] }).on('line', (line) => {
      recent = [...recent.slice(-40), line];
      options.onLine(line, stream);
    });
  }
  child.on('exit', (code, signal) => {
    exited = signal ?? `exit ${code}`;
  });

  const stop = () => stopProcessGroup(child);
  try {
    await pollUntil(
      `${service.name} under serverless-offline`,
      async () => {
        if (exited)
          throw new Error(
            `${service.name} stopped (${exited}) while starting:\n${recent.join('\n')}`,
          );
        const lambdaUp = await isListening(options.lambdaPort);
        const httpUp = !hasHttpApi || (await isListening(options.httpPort));
        return lambdaUp && httpUp ? true : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 90_000, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { service, httpPort: options.httpPort, lambdaPort: options.lambdaPort, hasHttpApi, stop };
}

/**
 * `serverless offline start` for the service. With LOCAL_CLOUD_CPU_PROF=<dir> it runs under
 * `node --cpu-prof`, so each service process (worker threads included) writes a V8 CPU profile
 * there when it stops: how the benchmarks' per-hop profile is taken.
 */
function offlineCommand(service: PackagedService): [string, string[]] {
  const args = ['offline', 'start', '--stage', service.stage];
  const profileDir = process.env.LOCAL_CLOUD_CPU_PROF;
  if (!profileDir) return [serverlessBin(service.dir), args];
  const cli = require.resolve('serverless/bin/serverless.js', { paths: [service.dir] });
  return [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, cli, ...args]];
}

/** SIGTERM to the whole group, SIGKILL if it is still there after a grace period. */
export function stopProcessGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
      return resolve();
    const pid = child.pid;
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      // Grandchildren (esbuild's service) may outlive the leader: sweep the group once more.
      signalGroup(pid, 'SIGKILL');
      resolve();
    });
    signalGroup(pid, 'SIGTERM');
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
