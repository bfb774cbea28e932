import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CfnTemplate, findRepoRoot, packageService, serviceDirs } from '@shop/local-cloud';
import { type BuildOptions, build } from 'esbuild';
import {
  type BundleComposition,
  bundleComposition,
  packagingEsbuildOptions,
} from '../src/bench/bundleComposition';
import { lambdaRuntimeVariables, packagedFunctions } from '../src/bench/lambdaEnvironment';
import { unzip } from '../src/bench/unzip';

/**
 * `pnpm bench:cold-start [--runs 9] [--services order,payment] [--before <dir>] [--no-composition]`
 *
 * For every packaged function (the zip `sls deploy` uploads): unzip it, then, in a fresh Node
 * process with the function's environment from the packaged template (intrinsics as placeholders)
 * and the variables the Lambda runtime sets with active tracing, time `require` of its handler.
 * Beside it, in the same rounds, the anchor: a handler holding only a DynamoDB DocumentClient,
 * bundled and minified with the same esbuild settings, the least a function that talks to DynamoDB
 * loads. Prints medians, the ratio to the anchor, zip sizes and each bundle's largest contributors
 * (esbuild metafile).
 *
 * `--before <dir>` also measures artefacts saved earlier (`<dir>/<service>/*.zip` and
 * `cloudformation-template-update-stack.json`, as copied from `.serverless/`) in the same rounds.
 */

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    runs: { type: 'string', default: '9' },
    services: { type: 'string' },
    before: { type: 'string' },
    'no-composition': { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(
    'Usage: pnpm bench:cold-start [--runs 9] [--services order,payment] [--before <dir>] [--no-composition]\n\nLoad time of every packaged handler beside a DynamoDB DocumentClient anchor, zip sizes and bundle composition.\n',
  );
  process.exit(0);
}
const RUNS = Math.max(7, Number(args.runs));

/** One thing to load: a function of a packaged service, or the anchor. */
interface Subject {
  label: string;
  service: string;
  fn: string;
  file: string;
  env: Record<string, string>;
  zipBytes: number;
  bundleBytes: number;
  samples: number[];
}

const PROBE = `
const started = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - started));`;

function loadOnce(subject: Subject): number {
  const result = spawnSync(process.execPath, ['-e', PROBE, subject.file], {
    encoding: 'utf8',
    env: subject.env,
    cwd: subject.env.LAMBDA_TASK_ROOT,
  });
  const ms = Number(result.stdout);
  if (result.status !== 0 || Number.isNaN(ms)) {
    throw new Error(`${subject.label}: require failed\n${result.stderr}`);
  }
  return ms;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const kb = (bytes: number) => (bytes / 1024).toFixed(0);

/** The functions of one service's artefacts (zips + template in `dir`), unzipped under `into`. */
function subjectsOf(service: string, dir: string, into: string, label: string): Subject[] {
  const template = JSON.parse(
    readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as CfnTemplate;
  const region =
    /arn:aws:[^:]*:([a-z0-9-]+):/.exec(JSON.stringify(template))?.[1] ??
    process.env.AWS_REGION ??
    'eu-west-1';
  return packagedFunctions(template, region, (zip) => join(into, zip.replace(/\.zip$/, ''))).map(
    (fn) => {
      const root = fn.environment.LAMBDA_TASK_ROOT as string;
      unzip(join(dir, fn.zipName), root);
      const file = join(root, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.js`);
      return {
        label,
        service,
        fn: fn.zipName.replace(/\.zip$/, ''),
        file,
        env: fn.environment,
        zipBytes: statSync(join(dir, fn.zipName)).size,
        bundleBytes: statSync(file).size,
        samples: [],
      };
    },
  );
}

/** The anchor: `exports.handler` beside one DynamoDB DocumentClient, built like our bundles. */
async function anchorSubject(work: string, options: BuildOptions): Promise<Subject> {
  const root = join(work, 'anchor');
  mkdirSync(root, { recursive: true });
  const entry = join(root, 'anchor.ts');
  writeFileSync(
    entry,
    [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      'const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
      'export const handler = async () => client.config.region;',
      '',
    ].join('\n'),
  );
  const file = join(root, 'anchor.js');
  await build({
    ...options,
    plugins: [],
    entryPoints: [entry],
    outfile: file,
    // The SDK resolves from this workspace's dependencies.
    nodePaths: [join(__dirname, '..', 'node_modules')],
  });
  return {
    label: 'anchor',
    service: '—',
    fn: 'DynamoDB DocumentClient (anchor)',
    file,
    env: lambdaRuntimeVariables({
      region: 'eu-west-1',
      functionName: 'anchor',
      handler: 'anchor.handler',
      memorySize: '256',
      runtime: 'nodejs22.x',
      taskRoot: root,
    }),
    zipBytes: Number.NaN,
    bundleBytes: statSync(file).size,
    samples: [],
  };
}

async function main() {
  const repoRoot = findRepoRoot(__dirname);
  const work = mkdtempSync(join(tmpdir(), 'cold-start-'));
  const only = args.services?.split(',');
  const subjects: Subject[] = [];
  const compositions = new Map<string, BundleComposition>();
  let esbuildOptions: BuildOptions | undefined;
  for (const dir of serviceDirs(repoRoot)) {
    if (only && !only.some((name) => dir.endsWith(`/${name}`))) continue;
    const service = await packageService(dir, { repoRoot, stage: 'local' }).catch(
      (error: Error) => {
        // One service that does not build (work in progress) leaves the others worth measuring.
        process.stderr.write(
          `${dir}: not measured, packaging failed\n${error.message.slice(-2000)}\n`,
        );
        return undefined;
      },
    );
    if (!service) continue;
    // Copy the artefacts at once: other runs may package this service again meanwhile.
    const artefacts = join(work, 'artefacts', service.name);
    mkdirSync(artefacts, { recursive: true });
    for (const name of readdirSync(join(dir, '.serverless'))) {
      if (name.endsWith('.zip') || name.endsWith('.json'))
        copyFileSync(join(dir, '.serverless', name), join(artefacts, name));
    }
    const state = JSON.parse(readFileSync(join(artefacts, 'serverless-state.json'), 'utf8'));
    const options = packagingEsbuildOptions(dir, state);
    const current = subjectsOf(service.name, artefacts, join(work, 'now', service.name), 'now');
    // The anchor is built as the functions are: a stack without functions (the bus) bundles nothing.
    if (current.length > 0) esbuildOptions ??= options;
    subjects.push(...current);
    if (!args['no-composition']) {
      for (const fn of current) {
        const handler = state.service.functions[fn.fn]?.handler as string | undefined;
        if (handler) compositions.set(fn.file, await bundleComposition(dir, options, handler));
      }
    }
    const before = args.before && join(args.before, service.name);
    if (before && existsSync(join(before, 'cloudformation-template-update-stack.json'))) {
      subjects.push(
        ...subjectsOf(service.name, before, join(work, 'before', service.name), 'before'),
      );
    }
  }
  if (!esbuildOptions) throw new Error('no service with functions was packaged');
  const anchor = await anchorSubject(work, esbuildOptions);
  subjects.unshift(anchor);

  // Rounds, not one subject after another: machine load drifts, and each round meets it alike.
  for (let round = 0; round < RUNS; round++) {
    for (const subject of subjects) subject.samples.push(loadOnce(subject));
  }

  const anchorMs = median(anchor.samples);
  const hasBefore = subjects.some((s) => s.label === 'before');
  const rowsOf = (label: string) => subjects.filter((s) => s.label === label);
  const before = new Map(rowsOf('before').map((s) => [`${s.service}/${s.fn}`, s]));
  const lines = [
    `Node ${process.version}, ${RUNS} runs per subject (median), require() of the handler in a fresh process.`,
    `anchor (DynamoDB DocumentClient, bundled + minified): ${kb(anchor.bundleBytes)} KB, load ${anchorMs.toFixed(1)} ms`,
    '',
    hasBefore
      ? '| service | function | zip KB before → now | bundle KB before → now | load ms before → now | × anchor before → now |'
      : '| service | function | zip KB | bundle KB | load ms | × anchor |',
    '|---|---|---|---|---|---|',
  ];
  for (const now of rowsOf('now')) {
    const ms = median(now.samples);
    const was = before.get(`${now.service}/${now.fn}`);
    const cell = (then: string | undefined, current: string) =>
      hasBefore ? `${then ?? '—'} → ${current}` : current;
    const wasMs = was && median(was.samples);
    lines.push(
      `| ${now.service} | ${now.fn} | ${cell(was && kb(was.zipBytes), kb(now.zipBytes))} | ${cell(was && kb(was.bundleBytes), kb(now.bundleBytes))} | ${cell(wasMs?.toFixed(1), ms.toFixed(1))} | ${cell(wasMs === undefined ? undefined : `${(wasMs / anchorMs).toFixed(2)}×`, `${(ms / anchorMs).toFixed(2)}×`)} |`,
    );
  }
  if (compositions.size > 0) {
    lines.push(
      '',
      'Bundle composition (esbuild metafile, minified KB, largest first):',
      '',
      '| service | function | bundle KB | largest contributors |',
      '|---|---|---|---|',
    );
    for (const now of rowsOf('now')) {
      const composition = compositions.get(now.file);
      if (!composition) continue;
      const top = composition.contributors
        .slice(0, 8)
        .map((c) => `${c.name} ${kb(c.bytes)}`)
        .join(', ');
      lines.push(`| ${now.service} | ${now.fn} | ${kb(composition.bytes)} | ${top} |`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
