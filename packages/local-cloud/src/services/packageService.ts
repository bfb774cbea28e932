import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { CfnProperties, CfnTemplate } from '../cloudformation/template';
import { serverlessBin } from './workspace';

export interface PackagedService {
  dir: string;
  /** Folder name under services/, e.g. `order`. */
  name: string;
  /** `service` of serverless.yml, e.g. `shop-order`. */
  serviceName: string;
  stage: string;
  region: string;
  stackName: string;
  template: CfnTemplate;
  /** Function key → deployed function name, and whether it has HTTP or schedule events. */
  functions: Record<string, { name: string; events: Record<string, unknown>[] }>;
  /** False when the content hash matched and the previous package was reused. */
  rebuilt: boolean;
}

/** Not inputs of a package: dependencies, tests, and every dot-folder (build output, locks). */
// test-output: the console e2e's screenshots, which would otherwise repackage every service.
const SKIPPED_NAMES = new Set(['node_modules', 'coverage', 'tests', 'test-output']);

/**
 * Runs `serverless package` for a service unless nothing that goes into it changed since the last
 * run (its folder, the shared packages, the lockfile, the stage), then reads the packaged
 * CloudFormation template and serverless state.
 */
export async function packageService(
  dir: string,
  options: { repoRoot: string; stage: string; force?: boolean; log?: (line: string) => void },
): Promise<PackagedService> {
  // Tests and `pnpm dev` may package the same service at once: one run at a time per folder.
  return withDirectoryLock(join(dir, '.serverless-package.lock'), async () => {
    const hashFile = join(dir, '.serverless', 'local-cloud.hash');
    const hash = contentHash(dir, options.repoRoot, options.stage);
    const templateFile = join(dir, '.serverless', 'cloudformation-template-update-stack.json');
    const cached =
      !options.force &&
      existsSync(templateFile) &&
      existsSync(hashFile) &&
      readFileSync(hashFile, 'utf8') === hash;
    if (!cached) {
      options.log?.(`packaging ${basename(dir)}…`);
      await runServerless(dir, ['package', '--stage', options.stage], { timeoutMs: 300_000 });
      writeFileSync(hashFile, hash);
    }
    return readPackagedService(dir, !cached);
  });
}

/**
 * Runs `work` while holding a lock: a folder created atomically, holding the owner's pid.
 * A lock whose owner is gone is taken over.
 */
async function withDirectoryLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!lockOwnerAlive(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`${lockDir} was held for 10 minutes; delete it if no packaging is running`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockOwnerAlive(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    // The owner is between creating the folder and writing its pid.
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads what `serverless package` left in `.serverless/`. */
export function readPackagedService(dir: string, rebuilt = false): PackagedService {
  const template = JSON.parse(
    readFileSync(join(dir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as CfnTemplate;
  const state = JSON.parse(readFileSync(join(dir, '.serverless', 'serverless-state.json'), 'utf8'));
  const service = state.service;
  const stage = service.provider.stage as string;
  const serviceName = (service.service?.name ?? service.service) as string;
  const functions: PackagedService['functions'] = {};
  for (const [key, fn] of Object.entries<CfnProperties>(service.functions ?? {})) {
    functions[key] = { name: fn.name, events: fn.events ?? [] };
  }
  return {
    dir,
    name: basename(dir),
    serviceName,
    stage,
    region: service.provider.region,
    stackName: `${serviceName}-${stage}`,
    template,
    functions,
    rebuilt,
  };
}

/** Runs the service's own serverless CLI (osls) and fails with its output when it fails. */
export function runServerless(
  dir: string,
  args: string[],
  { timeoutMs, env = {} }: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(serverlessBin(dir), args, {
      cwd: dir,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // serverless-esbuild prints a build error and never exits: bound every run.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else
        reject(
          new Error(
            `serverless ${args.join(' ')} in ${dir} failed (${signal ?? `exit ${code}`}):\n${output}`,
          ),
        );
    });
  });
}

function contentHash(serviceDir: string, repoRoot: string, stage: string): string {
  const hash = createHash('sha256').update(`stage=${stage}\n`);
  const roots = [serviceDir, join(repoRoot, 'packages'), join(repoRoot, 'pnpm-lock.yaml')];
  for (const root of roots) {
    for (const file of listFiles(root)) {
      hash.update(`${relative(repoRoot, file)}\n`).update(readFileSync(file));
    }
  }
  return hash.digest('hex');
}

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter(
      (entry) =>
        !SKIPPED_NAMES.has(entry.name) &&
        !entry.name.startsWith('.') &&
        // Tooling and test packages are not part of any bundle.
        !(
          entry.isDirectory() &&
          ['local-cloud', 'template-checks', 'system-tests', 'testing'].includes(entry.name)
        ),
    )
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) =>
      entry.isDirectory() ? listFiles(join(path, entry.name)) : [join(path, entry.name)],
    );
}
