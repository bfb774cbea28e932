import { spawnSync } from 'node:child_process';
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
        found.push({ where, command });
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

/** Which script of which package a command runs, and with what arguments (placeholders filled). */
function resolve(command: string): ResolvedCommand | 'exec' {
  const words = command
    .replace(/<[^>]+>/g, 'placeholder')
    .split(/\s+/)
    .filter((word) => word !== '--' && word !== '-s' && word !== '--silent');
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
  it.each(runnable.map((c) => [c.command, c]))('%s accepts its options (--help)', (_, c) => {
    const run = spawnSync(
      'pnpm',
      ['--silent', 'run', c.resolved.script, ...c.resolved.args, '--help'],
      { cwd: c.resolved.packageDir, encoding: 'utf8', timeout: 120_000 },
    );

    expect({
      where: c.where,
      status: run.status,
      stderr: run.stderr.trim().split('\n').slice(-3),
    }).toEqual({
      where: c.where,
      status: 0,
      stderr: expect.any(Array),
    });
    expect(run.stdout).toMatch(/usage/i);
  });
});
