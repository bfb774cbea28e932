import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@shop/local-cloud';

// Every pnpm/npm command README.md and BENCHMARKS.md show runs as printed: its script exists, and
// the commands of our own CLIs accept the options shown (run with `--help`, which parses them and
// exits before doing any work). Documentation cannot drift from the scripts again.

jest.setTimeout(300_000);

const root = findRepoRoot();
const DOCUMENTS = ['README.md', 'BENCHMARKS.md', 'packages/contracts/README.md'];

/** Commands that do real work (install, build, test, format, start): only their script is checked. */
const HEAVY_SCRIPTS = new Set([
  'start',
  'test',
  'check',
  'lint',
  'format',
  'typecheck',
  'test:unit',
  'test:integration',
  'test:e2e',
  'test:all',
  'package:all',
]);

interface DocumentedCommand {
  where: string;
  command: string;
}

/** `pnpm …`/`npm …` lines of fenced shell blocks and inline code spans, continuations joined. */
function documentedCommands(): DocumentedCommand[] {
  const found: DocumentedCommand[] = [];
  for (const document of DOCUMENTS) {
    const lines = readFileSync(join(root, document), 'utf8').split('\n');
    let fenced = false;
    lines.forEach((raw, index) => {
      if (/^\s*```/.test(raw)) {
        fenced = !fenced;
        return;
      }
      const where = `${document}:${index + 1}`;
      const candidates = fenced
        ? [raw.replace(/^\s*\$\s+/, '').trim()]
        : [...raw.matchAll(/`([^`]+)`/g)].map((match) => (match[1] ?? '').trim());
      for (let command of candidates) {
        command = command.replace(/\s+#.*$/, '').replace(/^(?:[A-Z_]+=\S*\s+)+/, '');
        if (!/^(pnpm|npm) /.test(command)) continue;
        let next = index + 1;
        while (fenced && command.endsWith('\\') && next < lines.length) {
          command = `${command.slice(0, -1).trim()} ${(lines[next] ?? '').trim()}`;
          next += 1;
        }
        for (const part of command.split('&&')) found.push({ where, command: part.trim() });
      }
    });
  }
  return found;
}

interface ResolvedCommand {
  /** The package.json that must hold the script. */
  packageDir: string;
  script: string;
  args: string[];
}

function workspaceDir(name: string): string {
  for (const parent of ['packages', 'services']) {
    for (const dir of readdirSync(join(root, parent))) {
      const file = join(root, parent, dir, 'package.json');
      if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name)
        return join(root, parent, dir);
    }
  }
  throw new Error(`no workspace named ${name}`);
}

/**
 * Which script of which package a command runs, and with what arguments. Synopsis notation is
 * read as a reader would type it: `[--x <v>]` is given (`--x placeholder`), `a|b` takes `a`.
 */
function resolve(command: string): ResolvedCommand | 'exec' {
  const words = command
    .replace(/\[([^\]]*)\]/g, (_, inside: string) => inside.split(' | ')[0] ?? '')
    .replace(/<[^>]+>/g, 'placeholder')
    .replace(/(\S+)\|\S+/g, '$1')
    .split(/\s+/)
    .filter((word) => word && !['--', '-s', '--silent', '...', '…'].includes(word));
  const rest = words.slice(1);
  let packageDir = root;
  if (rest[0] === '--filter') {
    packageDir = workspaceDir(rest[1] ?? '');
    rest.splice(0, 2);
  }
  if (rest[0] === 'exec') return 'exec';
  if (rest[0] === 'run') rest.shift();
  const [script = '', ...args] = rest;
  return { packageDir, script, args };
}

interface HelpRun {
  status: number | null;
  stdout: string;
  stderr: string[];
}

/** `pnpm run <script> <documented args> --help` in the script's package. */
function helpRun(resolved: ResolvedCommand): Promise<HelpRun> {
  return new Promise((done) => {
    const child = spawn('pnpm', ['--silent', 'run', resolved.script, ...resolved.args, '--help'], {
      cwd: resolved.packageDir,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr: stderr.trim().split('\n').slice(-5) });
    });
  });
}

const commands = documentedCommands();
const checked = commands
  .map((documented) => ({ ...documented, resolved: resolve(documented.command) }))
  .filter((c) => c.resolved !== 'exec') as (DocumentedCommand & { resolved: ResolvedCommand })[];

describe('Commands in the documentation', () => {
  it('finds the commands the README shows', () => {
    expect(commands.map((c) => c.command)).toEqual(
      expect.arrayContaining(['npm start', 'npm test']),
    );
    expect(checked.length).toBeGreaterThan(15);
  });

  it.each(checked.map((c) => [c.command, c]))('%s names a script that exists', (_, c) => {
    const { scripts = {} } = JSON.parse(
      readFileSync(join(c.resolved.packageDir, 'package.json'), 'utf8'),
    );

    expect({
      where: c.where,
      script: c.resolved.script,
      exists: c.resolved.script in scripts,
    }).toEqual({ where: c.where, script: c.resolved.script, exists: true });
  });

  const runnable = [
    ...new Map(
      checked
        .filter((c) => !HEAVY_SCRIPTS.has(c.resolved.script))
        .map((c) => [
          `${c.resolved.packageDir} ${c.resolved.script} ${c.resolved.args.join(' ')}`,
          c,
        ]),
    ).values(),
  ];
  // Each run is a pnpm and a tsx start-up (1–3 s): three at a time, results read by the tests.
  const runs = new Map<DocumentedCommand & { resolved: ResolvedCommand }, Promise<HelpRun>>();
  beforeAll(() => {
    const queue = [...runnable];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const run = helpRun(next.resolved);
        runs.set(next, run);
        await run;
      }
    };
    return Promise.all([worker(), worker(), worker()]);
  });

  it.each(runnable.map((c) => [c.command, c]))('%s accepts its options (--help)', async (_, c) => {
    const run = (await runs.get(c)) as HelpRun;

    // On failure the diff shows what the command printed on stderr.
    expect({ where: c.where, status: run.status, stderr: run.stderr }).toEqual({
      where: c.where,
      status: 0,
      stderr: run.status === 0 ? run.stderr : [],
    });
    expect(run.stdout).toMatch(/usage/i);
  });
});
