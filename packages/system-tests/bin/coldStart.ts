import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { findRepoRoot, packageService, serviceDirs } from '@shop/local-cloud';

/**
 * `pnpm bench:cold-start`: for every packaged function (the zip `sls deploy` uploads), the time a
 * fresh Node process takes to load the bundle and to serve a first invocation that needs no
 * network, beside an empty handler measured the same way; and the zip size. Medians of 5 runs.
 */

const RUNS = 5;

/** The files of a zip archive (stored or deflated entries), read with Node alone. */
function unzip(file: string, into: string): void {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let offset = zip.readUInt32LE(end + 16);
  const entries = zip.readUInt16LE(end + 10);
  for (let i = 0; i < entries; i++) {
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const dataStart =
      localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    mkdirSync(dirname(join(into, name)), { recursive: true });
    writeFileSync(join(into, name), method === 8 ? inflateRawSync(data) : data);
  }
}

/** A first event each kind of function can serve without the network (or failing fast without it). */
function firstEvent(handlerFile: string): unknown {
  const source = readFileSync(handlerFile, 'utf8');
  if (source.includes('aws:sqs') || /Records/.test(source)) return { Records: [] };
  return {
    version: '2.0',
    routeKey: 'POST /x',
    rawPath: '/x',
    rawQueryString: '',
    headers: { 'content-type': 'text/plain' },
    requestContext: {
      http: { method: 'POST', path: '/x' },
      requestId: 'cold',
      routeKey: 'POST /x',
    },
    body: 'not json',
    isBase64Encoded: false,
  };
}

const PROBE = `
const started = performance.now();
const mod = require(process.argv[1]);
const loaded = performance.now();
const context = { functionName: 'bench', awsRequestId: 'cold', getRemainingTimeInMillis: () => 30000,
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:bench', memoryLimitInMB: '256' };
Promise.resolve(mod.handler(JSON.parse(process.argv[2]), context)).catch(() => undefined).then(() => {
  process.stdout.write(JSON.stringify({ load: loaded - started, invoke: performance.now() - loaded }));
});`;

function measure(file: string, event: unknown): { load: number; invoke: number } {
  const samples = Array.from({ length: RUNS }, () => {
    const result = spawnSync(process.execPath, ['-e', PROBE, file, JSON.stringify(event)], {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_MAX_ATTEMPTS: '1',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_TRACE_ENABLED: 'false',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // Every setting a function may require at load; values are never used for real.
        ...Object.fromEntries(
          [
            'ORDERS_TABLE',
            'ORDER_IDEMPOTENCY_TABLE',
            'EVENT_BUS_TOPIC_ARN',
            'PRODUCTS_TABLE',
            'RESERVATIONS_TABLE',
            'PAYMENTS_TABLE',
            'EVENTS_DLQ_URL',
            'EVENTS_QUEUE_URL',
            'IDEMPOTENCY_TABLE',
            'SENDER_EMAIL',
            'FACTS_TABLE',
            'MEDIA_BUCKET',
          ].map((name) => [name, `bench-${name.toLowerCase()}`]),
        ),
      },
    });
    if (!result.stdout) {
      process.stderr.write(
        `${file}: no measurement (${result.stderr.split('\n').slice(0, 3).join(' ')})\n`,
      );
      return { load: Number.NaN, invoke: Number.NaN };
    }
    return JSON.parse(result.stdout) as { load: number; invoke: number };
  });
  const median = (values: number[]) =>
    values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  return { load: median(samples.map((s) => s.load)), invoke: median(samples.map((s) => s.invoke)) };
}

async function main() {
  const repoRoot = findRepoRoot(__dirname);
  const work = mkdtempSync(join(tmpdir(), 'cold-start-'));
  const empty = join(work, 'empty.js');
  writeFileSync(empty, 'exports.handler = async () => ({});\n');
  const baseline = measure(empty, {});
  const rows: string[] = [];
  for (const dir of serviceDirs(repoRoot)) {
    const service = await packageService(dir, { repoRoot, stage: 'local' });
    const zips = readdirSync(join(dir, '.serverless')).filter((f) => f.endsWith('.zip'));
    for (const zip of zips) {
      const into = join(work, service.name, basename(zip, '.zip'));
      unzip(join(dir, '.serverless', zip), into);
      const handlerFile = readdirSync(into, { recursive: true })
        .map(String)
        .find((f) => f.endsWith('handler.js'));
      if (!handlerFile) continue;
      const file = join(into, handlerFile);
      const { load, invoke } = measure(file, firstEvent(file));
      const total = load + invoke;
      rows.push(
        `| ${service.name} | ${basename(zip, '.zip')} | ${(statSync(join(dir, '.serverless', zip)).size / 1024).toFixed(0)} | ${load.toFixed(1)} | ${invoke.toFixed(1)} | ${total.toFixed(1)} | ${(total / (baseline.load + baseline.invoke)).toFixed(1)}× |`,
      );
    }
  }
  process.stdout.write(
    [
      `empty handler: load ${baseline.load.toFixed(1)} ms, first invoke ${baseline.invoke.toFixed(1)} ms (Node ${process.version})`,
      '',
      '| service | function | zip KB | load ms | first invoke ms | total ms | × empty |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
