import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { HelpRequested, parseCommandLine } from './commandLine';
import { startCpuProfile } from './cpuProfile';
import { runDemo } from './demo';
import { ensureUserSignedIn, findUserPool, localUser } from './identity/localIdentity';
import { type LocalCloud, startLocalCloud } from './LocalCloud';
import { formatLogLine } from './liveView';
import { redrive } from './redrive';
import { findRepoRoot } from './services/workspace';
import { TRAIL_USAGE, trail } from './trail';

// Handlers run on this machine's Node (20+) here and on nodejs22.x in Lambda; skip the SDK's reminder.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `usage: local-cloud dev [--only order,inventory] [--with path/to/service] [--no-demo] [--json]
       local-cloud demo
       local-cloud trail <correlationId> [--logs dir]
       local-cloud redrive <dlq-name> [--to <queue-name>] [--endpoint-url <url>]
       local-cloud token <user> [--admin] [--access] [--endpoint-url <url>]
       local-cloud parked [--retry <orderId> | --retry-all] [--stage local] [--endpoint-url <url>]

  dev    start the whole system on 127.0.0.1 and run until Ctrl-C
         --only   run only these services under serverless-offline (all are provisioned)
         --with   also run the Serverless service in this folder (repeatable)
         --no-demo  skip the demo orders placed once the system is ready
         --json   print one JSON line {"ready":{...}} when ready, then every service log line
                  prefixed [service], and no demo (for scripts and tests)
  demo   start the system on free ports, place a confirmed and a cancelled order, upload an
         image, print what happened, stop; exits 0 when the demo went through
${TRAIL_USAGE}

  token  print a Cognito ID token of <user> from the running local cloud, for curl and scripts:
         curl -H "Authorization: Bearer $(pnpm -s run token ada)" http://127.0.0.1:3000/orders
         <user> is a seeded user (ada, grace, admin) or any name or address, created if missing
         --admin   put the user in the admin group first
         --access  print the access token instead (it carries no email)

  parked  list the orders the order sweeper parked (it failed to publish them 5 times), with why;
         after the fix, --retry <orderId> (repeatable) or --retry-all gives them back to the sweeper
         --endpoint-url ''  works on AWS with your credentials, like redrive

  ports: LOCAL_CLOUD_HTTP_PORT (default 3000), LOCAL_CLOUD_AWS_PORT (default 4566); 0 picks free ones`;

function summary(cloud: LocalCloud): string {
  return [
    '',
    `serverless-shop is running (ready in ${(cloud.startupMs / 1000).toFixed(1)} s)`,
    `  base URL      ${cloud.baseUrl}        (OpenAPI: ${cloud.baseUrl}/openapi.json)`,
    `  console       ${cloud.baseUrl}/_local/console/  (orders live, emails, queues; sign in as ada | grace | admin)`,
    `  AWS endpoint  ${cloud.awsEndpoint}        (aws --endpoint-url ${cloud.awsEndpoint} …)`,
    `  sent emails   ${cloud.mailViewerUrl}        (JSON: ${cloud.mailViewerUrl}/store)`,
    ...(cloud.identity
      ? [
          `  user pool     ${cloud.identity.userPoolId}  (sign in: pnpm -s run token ada | grace | admin)`,
        ]
      : []),
    ...cloud.services.map(
      (s) =>
        `  ${s.service.name.padEnd(13)} http ${s.hasHttpApi ? String(s.httpPort).padEnd(6) : '-'.padEnd(6)} lambda ${s.lambdaPort}`,
    ),
    '',
    `  logs          .local-cloud/logs/<service>.log; below, one line per request and event hop`,
    `                pnpm trail <correlation id> prints every line of one flow, across services`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

async function dev(args: string[]): Promise<void> {
  const { values } = parseCommandLine(args, {
    options: {
      only: { type: 'string' },
      with: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      demo: { type: 'boolean', default: true },
      'no-demo': { type: 'boolean', default: false },
    },
  });
  const json = values.json ?? false;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  // Its services are profiled by services/offline.ts; this process, here.
  const profileDir = process.env.LOCAL_CLOUD_CPU_PROF;
  const profile = profileDir ? await startCpuProfile(profileDir) : undefined;
  const logDir = join(findRepoRoot(), '.local-cloud', 'logs');
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const logFiles = new Map<string, WriteStream>();
  const logFile = (service: string) => {
    let stream = logFiles.get(service);
    if (!stream) {
      stream = createWriteStream(join(logDir, `${service}.log`));
      logFiles.set(service, stream);
    }
    return stream;
  };
  let ready = false;
  const cloud = await startLocalCloud({
    httpPort: Number(process.env.LOCAL_CLOUD_HTTP_PORT ?? 3000),
    awsPort: Number(process.env.LOCAL_CLOUD_AWS_PORT ?? 4566),
    ...(values.only ? { only: values.only.split(',').map((name) => name.trim()) } : {}),
    ...(values.with ? { extraServiceDirs: values.with.map((dir) => resolve(dir)) } : {}),
    log: say,
    onGatewayRefusal: ({ method, path, status, reason }) => {
      if (ready && !json)
        say(
          `${new Date().toISOString().slice(11, 23)}  gateway  ${method} ${path}  ${status}  ${reason}`,
        );
    },
    onServiceLine: (service, line) => {
      logFile(service).write(`${line}\n`);
      // Scripts and tests get every line; people get the live view once the system is up.
      if (json) say(`[${service}] ${line}`);
      else if (ready) {
        const view = formatLogLine(service, line);
        if (view) say(view);
      }
    },
  });
  ready = true;

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    if (profile) say(`CPU profile: ${await profile.save()}`);
    await cloud.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // The terminal closing, or whoever reads our output going away, must not stop the clean-up.
  process.on('SIGHUP', shutdown);
  process.stdout.on('error', () => {});

  if (json) {
    const ready = {
      baseUrl: cloud.baseUrl,
      awsEndpoint: cloud.awsEndpoint,
      mailViewerUrl: cloud.mailViewerUrl,
      emulators: cloud.emulators,
      region: cloud.region,
      stage: cloud.stage,
      identity: cloud.identity,
      startupMs: cloud.startupMs,
      eventSources: cloud.eventSources,
      bucketNotifications: cloud.bucketNotifications,
      iam: cloud.iam.counts(),
      services: cloud.services.map((s) => ({
        name: s.service.name,
        httpPort: s.httpPort,
        lambdaPort: s.lambdaPort,
      })),
    };
    process.stdout.write(`${JSON.stringify({ ready })}\n`);
  } else {
    process.stdout.write(summary(cloud));
  }

  if (!json && values.demo && !values['no-demo']) {
    // A first run should show something flowing; the live view prints each hop as it happens.
    await runDemo(cloud, say).catch((error: Error) =>
      say(`⚠ the demo did not finish: ${error.message} (the system is still running)`),
    );
  }
}

/** `pnpm demo`: starts the system, runs the demo, prints what happened, stops, exits 0 on success. */
async function demo(args: string[]): Promise<void> {
  parseCommandLine(args, { options: {} });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let ready = false;
  const cloud = await startLocalCloud({
    httpPort: Number(process.env.LOCAL_CLOUD_HTTP_PORT ?? 0),
    awsPort: Number(process.env.LOCAL_CLOUD_AWS_PORT ?? 0),
    log: say,
    onServiceLine: (service, line) => {
      const view = ready ? formatLogLine(service, line) : undefined;
      if (view) say(view);
    },
  });
  ready = true;
  say(summary(cloud));
  try {
    await runDemo(cloud, say);
  } finally {
    await cloud.stop();
  }
}

/**
 * `pnpm redrive <dlq-name> [--to <queue-name>] [--endpoint-url <url>]`: moves a DLQ's messages
 * back to their queue once the cause is fixed. Defaults to the local cloud's AWS endpoint; pass
 * `--endpoint-url ''` (and AWS credentials) to redrive on AWS.
 */
async function redriveCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(args, {
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      'endpoint-url': {
        type: 'string',
        default: process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566',
      },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'eu-west-1' },
    },
  });
  const [dlq] = positionals;
  if (!dlq)
    throw new Error('name the dead-letter queue, e.g. pnpm redrive shop-payment-local-events-dlq');
  const endpoint = values['endpoint-url'];
  const sqs = new SQSClient({
    region: values.region,
    ...(endpoint
      ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const { moved, to } = await redrive(sqs, dlq, values.to);
  process.stdout.write(`moved ${moved} message(s) from ${dlq} back to ${to}\n`);
}

/**
 * `pnpm -s run token <user> [--admin]`: signs a user in through the local cloud's Cognito API (creating
 * them if missing) and prints only the token. Refuses any endpoint that is not this machine: it
 * sets passwords, which is fine for the emulator and wrong anywhere else.
 */
async function tokenCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(args, {
    allowPositionals: true,
    options: {
      admin: { type: 'boolean', default: false },
      access: { type: 'boolean', default: false },
      'endpoint-url': {
        type: 'string',
        default: `http://127.0.0.1:${process.env.LOCAL_CLOUD_AWS_PORT || 4566}`,
      },
      region: { type: 'string', default: 'eu-west-1' },
      stage: { type: 'string', default: 'local' },
    },
  });
  const [name] = positionals;
  if (!name) throw new Error('name the user, e.g. pnpm -s run token ada (or --admin for an admin)');
  const endpoint = values['endpoint-url'] as string;
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(endpoint)) {
    throw new Error(`token only talks to the local cloud on this machine, not ${endpoint}`);
  }
  const pool = await findUserPool(endpoint, values.region as string, values.stage as string).catch(
    (error: Error) => {
      throw new Error(`is the local cloud running (npm start)? ${error.message}`);
    },
  );
  const user = localUser(name, findRepoRoot());
  const tokens = await ensureUserSignedIn(pool, { ...user, admin: user.admin || values.admin });
  process.stdout.write(`${values.access ? tokens.accessToken : tokens.idToken}\n`);
}

/**
 * `pnpm parked [--retry <orderId> | --retry-all] [--stage local] [--endpoint-url <url>]`: the order
 * service's own command, run through its repository so it reads and writes orders as the sweeper
 * does. Loaded only when asked for.
 */
async function parkedCommand(args: string[]): Promise<void> {
  const { parkedOrdersCommand } = await import(
    '../../../services/order/src/operations/parkedOrdersCommand'
  );
  await parkedOrdersCommand(args, (line) => process.stdout.write(`${line}\n`));
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  dev,
  demo,
  parked: parkedCommand,
  redrive: redriveCommand,
  token: tokenCommand,
  trail,
};
const [command = 'dev', ...rest] = process.argv.slice(2);
const run = commands[command];
if (!run) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
run(rest).catch((error: Error) => {
  if (error instanceof HelpRequested) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  process.stderr.write(`\n✖ ${error.message}\n`);
  process.exit(1);
});
