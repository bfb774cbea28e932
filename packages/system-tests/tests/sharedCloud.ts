import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
// Deep imports: jest's own process loads this for the global setup, and the package's index
// would load every emulator there too.
import { pollUntil } from '@shop/local-cloud/src/net';
import {
  type LocalCloudProcess,
  startLocalCloudProcess,
} from '@shop/local-cloud/src/testing/localCloudProcess';
import type { GlobalConfig } from 'jest';

// The local clouds of the e2e files (`useLocalCloud`, helpers.ts) are started by jest's global
// setup, together, and stopped by its teardown, instead of one per file (~25 s of both cores
// apiece). Files attach to theirs one at a time: they change what the others would see (stock of
// the seeded products, services stopped for a drill, a purged queue, the stage's throttle).

/** The function whose grant the IAM drill revokes (iamDrill.e2e.test.ts). */
export const IAM_DRILL_FUNCTION = 'shop-order-local-recordOutcomes';

/** The clouds the setup can start, by name, with the environment each runs with. */
export const CLOUDS = {
  /** The whole system as `pnpm dev` runs it: every file that names no other cloud. */
  main: {},
  /** `sns:Publish` taken out of recordOutcomes' role: only the IAM drill may see that. */
  'iam-drill': { LOCAL_CLOUD_IAM_REVOKE: `${IAM_DRILL_FUNCTION}=sns:Publish` },
} satisfies Record<string, NodeJS.ProcessEnv>;
export type CloudName = keyof typeof CLOUDS;

/** A running local cloud as a test file sees it: its output is what it printed since attaching. */
export type AttachedCloud = Omit<LocalCloudProcess, 'stop'>;

interface CloudFile {
  cloud: Omit<LocalCloudProcess, 'output' | 'stop'>;
  /** Every line the cloud prints, appended as it comes. */
  outputFile: string;
  /** Exists while a test file has its turn (holds that process's pid). */
  lockDir: string;
}

/** The folder with a `<name>.json` per started cloud, for the test processes; set by the setup. */
const ENV = 'SHOP_E2E_CLOUDS';

interface Started {
  cloud: LocalCloudProcess;
  closeOutput: () => void;
}
/** What the setup started, for the teardown (both run in jest's own process). */
const state = globalThis as { sharedLocalClouds?: { started: Started[]; dir: string } };

/** jest's globalSetup: starts the clouds the selected test files use, at once. */
export async function startSharedClouds(globalConfig: GlobalConfig): Promise<void> {
  const names = cloudsOfSelectedFiles(globalConfig);
  if (names.size === 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'shop-e2e-clouds-'));
  const results = await Promise.allSettled([...names].map((name) => startCloud(name, dir)));
  state.sharedLocalClouds = {
    started: results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
    dir,
  };
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) {
    await stopSharedClouds();
    throw failed.reason;
  }
  process.env[ENV] = dir;
}

/** jest's globalTeardown. */
export async function stopSharedClouds(): Promise<void> {
  const shared = state.sharedLocalClouds;
  if (!shared) return;
  state.sharedLocalClouds = undefined;
  delete process.env[ENV];
  try {
    await Promise.all(shared.started.map(({ cloud }) => cloud.stop()));
  } finally {
    for (const { closeOutput } of shared.started) closeOutput();
    rmSync(shared.dir, { recursive: true, force: true });
  }
}

/**
 * The clouds named by `useLocalCloud(…)` in the test files jest will run (all of them when no
 * path pattern narrows the run): running one other file must not start a cloud for nothing.
 */
function cloudsOfSelectedFiles(globalConfig: GlobalConfig): Set<CloudName> {
  const patterns = globalConfig.testPathPatterns;
  const executor = patterns.isSet()
    ? patterns.toExecutor({ rootDir: globalConfig.rootDir })
    : undefined;
  const names = new Set<CloudName>();
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.ts'))) {
    const path = join(__dirname, file);
    if (executor && !executor.isMatch(path)) continue;
    const calls = readFileSync(path, 'utf8').matchAll(
      /useLocalCloud\(\s*'[^']*'(?:,\s*'([^']+)')?/g,
    );
    for (const [, name = 'main'] of calls) {
      if (!(name in CLOUDS)) throw new Error(`${file}: no cloud named ${name} in sharedCloud.ts`);
      names.add(name as CloudName);
    }
  }
  return names;
}

async function startCloud(name: CloudName, dir: string): Promise<Started> {
  const outputFile = join(dir, `${name}.log`);
  const fd = openSync(outputFile, 'a');
  let open = true;
  // Lines can still come while the cloud stops; none may land in a closed (or reused) descriptor.
  const closeOutput = () => {
    if (open) closeSync(fd);
    open = false;
  };
  let cloud: LocalCloudProcess;
  try {
    cloud = await startLocalCloudProcess({
      env: CLOUDS[name],
      // The first boot after a change to the shared packages packages every service again.
      timeoutMs: 540_000,
      onLine: (line) => {
        if (open) writeSync(fd, `${line}\n`);
      },
    });
  } catch (error) {
    closeOutput();
    throw new Error(`the ${name} local cloud did not start: ${(error as Error).message}`);
  }
  const { output: _output, stop: _stop, ...endpoints } = cloud;
  const description: CloudFile = {
    cloud: endpoints,
    outputFile,
    lockDir: join(dir, `${name}.lock`),
  };
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(description));
  return { cloud, closeOutput };
}

/**
 * Waits for this file's turn on the named cloud the setup started and attaches to it; `release`
 * ends the turn. Undefined when the setup started none (a config without it, a missed file).
 */
export async function takeTurnOnSharedCloud(
  name: CloudName,
  timeoutMs: number,
): Promise<{ cloud: AttachedCloud; release: () => void } | undefined> {
  const dir = process.env[ENV];
  if (!dir || !existsSync(join(dir, `${name}.json`))) return undefined;
  const shared = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as CloudFile;
  const pidFile = join(shared.lockDir, 'pid');
  await pollUntil(
    `a turn on the shared ${name} local cloud (another test file is using it)`,
    async () => {
      try {
        mkdirSync(shared.lockDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        releaseIfHolderDied(shared.lockDir, pidFile);
        return undefined;
      }
      writeFileSync(pidFile, String(process.pid));
      return true;
    },
    { timeoutMs, intervalMs: 250 },
  );
  const output = new OutputSince(shared.outputFile);
  return {
    cloud: { ...shared.cloud, output: () => output.lines() },
    release: () => rmSync(shared.lockDir, { recursive: true, force: true }),
  };
}

/** A jest worker that died in its turn never ends it: its turn is over. */
function releaseIfHolderDied(lockDir: string, pidFile: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
  } catch {
    return; // being written by the new holder
  }
  if (!pid) return;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH')
      rmSync(lockDir, { recursive: true, force: true });
  }
}

/** The lines appended to a file since this object was made, read as they come. */
class OutputSince {
  private offset: number;
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private readonly read: string[] = [];
  private readonly buffer = Buffer.alloc(256 * 1024);

  constructor(private readonly file: string) {
    this.offset = statSync(file).size;
  }

  lines(): string[] {
    const fd = openSync(this.file, 'r');
    try {
      for (;;) {
        const length = readSync(fd, this.buffer, 0, this.buffer.length, this.offset);
        if (length === 0) break;
        this.offset += length;
        this.partial += this.decoder.write(this.buffer.subarray(0, length));
      }
    } finally {
      closeSync(fd);
    }
    const complete = this.partial.split('\n');
    this.partial = complete.pop() ?? '';
    for (const line of complete) this.read.push(line);
    return [...this.read];
  }
}
