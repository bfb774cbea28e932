import type { DeliveryGate } from './cloudformation/iamResources';
import { resolveIntrinsics } from './cloudformation/intrinsics';
import {
  awsClients,
  type EventSourceMapping,
  type ProvisionedStack,
  provisionStack,
} from './cloudformation/provision';
import { seedTables } from './cloudformation/seed';
import { createLocalConsole } from './console/localConsole';
import { startCognito } from './emulators/cognito';
import { startDynamoDb } from './emulators/dynamodb';
import { startSes } from './emulators/ses';
import { startSqsSns } from './emulators/sqsSns';
import { type BatchOutcome, startSqsPoller } from './eventSources/sqsPoller';
import { startAwsGateway } from './gateway/awsGateway';
import { type HttpRoute, routesFromTemplate, startHttpRouter } from './gateway/httpRouter';
import {
  type IamCounts,
  IamEnforcer,
  type IamMode,
  iamModeFrom,
  revokedGrantsFrom,
} from './gateway/iam/IamEnforcer';
import { JwtAuthorizer, localJwksUrl } from './gateway/jwtAuthorizer';
import { mergedOpenApiDocument } from './gateway/openApi';
import {
  type QueueNotification,
  queueNotifications,
  S3NotificationDispatcher,
} from './gateway/s3Notifications';
import { freePort, LOCAL_HOST } from './net';
import { type OfflineService, startOffline } from './services/offline';
import { type PackagedService, packageService } from './services/packageService';
import { findRepoRoot, serviceDirs } from './services/workspace';
import { usage, usageMetered } from './usage';

export interface LocalCloudOptions {
  repoRoot?: string;
  /** Stage used to package and run every service; resource names carry it. */
  stage?: string;
  /** Port of the single base URL (0 picks a free one). */
  httpPort?: number;
  /** Port of the single AWS endpoint (0 picks a free one). */
  awsPort?: number;
  /** Service folders outside services/ to run as well (test fixtures, experiments). */
  extraServiceDirs?: string[];
  /** Only these services (folder names) run under serverless-offline; all are provisioned. */
  only?: string[];
  /** Package every service again even if nothing changed (to measure a cold start). */
  forcePackage?: boolean;
  /** IAM at the AWS endpoint (default: `LOCAL_CLOUD_IAM`, else `enforce`). */
  iamMode?: IamMode;
  /** Progress lines for people. */
  log?: (line: string) => void;
  /** Called after every SQS batch a function was invoked with. */
  onBatch?: (outcome: BatchOutcome) => void;
  /** Every line a service prints, with the service's folder name. */
  onServiceLine?: (service: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** Requests the base URL refused itself (401 from an authorizer, 429 from throttling). */
  onGatewayRefusal?: (refusal: {
    method: string;
    path: string;
    status: number;
    reason: string;
  }) => void;
}

export interface LocalCloud {
  /** The one URL that routes to every service's HTTP API. */
  baseUrl: string;
  /** The one AWS endpoint (SigV4 scope routing) for every emulated service. */
  awsEndpoint: string;
  /** The local SES mail store: `/` is a viewer, `/store` the sent emails as JSON. */
  mailViewerUrl: string;
  /** The emulators behind the AWS endpoint, each on its own port of 127.0.0.1. */
  emulators: { name: string; port: number }[];
  region: string;
  stage: string;
  /** The user pool every HTTP API's JWT authorizer trusts; undefined without an identity stack. */
  identity?: { userPoolId: string; clientId: string; issuer: string };
  stacks: ProvisionedStack[];
  services: OfflineService[];
  /** SQS event source mappings being polled. */
  eventSources: EventSourceMapping[];
  /** Bucket notifications the local cloud delivers. */
  bucketNotifications: QueueNotification[];
  /** IAM at the AWS endpoint: the mode, and what it refused (or, in warn mode, let through). */
  iam: { mode: IamMode; counts(): IamCounts };
  /** Milliseconds from start to ready. */
  startupMs: number;
  stop(): Promise<void>;
}

/**
 * Starts the whole system on 127.0.0.1: emulators behind one AWS endpoint, every stack provisioned
 * from its packaged CloudFormation, every service under serverless-offline, one base URL.
 * On any failure it stops what it had started before rethrowing.
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const metered = usageMetered();
  const started = Date.now();
  const repoRoot = options.repoRoot ?? findRepoRoot();
  const stage = options.stage ?? 'local';
  const log = options.log ?? (() => {});
  const stoppers: (() => Promise<void>)[] = [];
  // Everything stops at once: a shutdown that takes seconds per service invites the terminal or a
  // supervisor to kill this process half-way and orphan the rest.
  const stop = async () => {
    await Promise.all(stoppers.splice(0).map((stopOne) => stopOne().catch(() => {})));
  };

  try {
    const [dynamodb, sqsSns, ses, cognito] = await Promise.all([
      freePort().then(startDynamoDb),
      freePort().then(startSqsSns),
      freePort().then(startSes),
      // What Cognito would email (sign-up codes, temporary passwords) is printed instead.
      freePort().then((port) => startCognito(port, { log })),
    ]);
    stoppers.push(dynamodb.stop, sqsSns.stop, ses.stop, cognito.stop);
    // The dispatcher talks to the emulators directly: its calls are not requests to route.
    const s3Notifications = new S3NotificationDispatcher((region) =>
      awsClients(sqsSns.endpoint, region),
    );
    // ── IAM: every function's requests evaluated against its role (gateway/iam/IamEnforcer.ts)
    const iam = new IamEnforcer({
      mode: options.iamMode ?? iamModeFrom(process.env.LOCAL_CLOUD_IAM),
      log,
      revoke: revokedGrantsFrom(process.env.LOCAL_CLOUD_IAM_REVOKE),
    });
    stoppers.push(async () => {
      for (const line of iam.summary()) log(line);
    });
    // ── end IAM
    const gateway = await startAwsGateway(options.awsPort ?? 4566, {
      routes: {
        dynamodb: dynamodb.port,
        sqs: sqsSns.port,
        sns: sqsSns.port,
        s3: sqsSns.port,
        // SES signs as `ses`; the v1 API's CLI commands sign as `email`.
        ses: ses.port,
        email: ses.port,
        'cognito-idp': cognito.port,
      },
      handlers: {
        dynamodb: dynamodb.handle,
        sqs: sqsSns.handle,
        sns: sqsSns.handle,
        s3: sqsSns.handle,
        ses: ses.handle,
        email: ses.handle,
        'cognito-idp': cognito.handle,
      },
      s3Notifications,
      iam,
      onNotificationError: (error) =>
        log(`⚠ S3 event notification not delivered: ${error.message}`),
    }).catch((error: NodeJS.ErrnoException) => {
      throw portError(error, options.awsPort ?? 4566, 'LOCAL_CLOUD_AWS_PORT');
    });
    stoppers.push(gateway.stop);
    cognito.setPublicEndpoint(gateway.endpoint);

    const dirs = [...serviceDirs(repoRoot), ...(options.extraServiceDirs ?? [])];
    const packaged = await packageAll(dirs, {
      repoRoot,
      stage,
      log,
      force: options.forcePackage ?? false,
    });
    const region = packaged[0]?.region ?? 'eu-west-1';
    const clients = awsClients(gateway.endpoint, region);
    const stacks = await provisionAll(packaged, clients, log, iam);
    await iam.configure(stacks, packaged); // IAM: learns each function's role, prints its coverage
    const allExports = new Map(stacks.flatMap((stack) => [...stack.exports]));
    const identity = identityOf(allExports, stage);
    // ── local console (packages/console): served by the base URL; it checks tokens with the
    // router's own authorizer and keeps every flow's log lines. Costs nothing until opened.
    const jwtAuthorizer = new JwtAuthorizer((issuer) => localJwksUrl(issuer, gateway.endpoint));
    const localConsole = createLocalConsole({
      repoRoot,
      stage,
      region,
      awsEndpoint: gateway.endpoint,
      mailViewerUrl: ses.endpoint,
      ...(identity ? { identity } : {}),
      stacks,
      jwtAuthorizer,
    });
    stoppers.push(localConsole.stop);
    // ── end local console
    for (const service of packaged) {
      const stack = stacks.find((s) => s.stackName === service.stackName);
      if (!stack) continue;
      const seeded = await seedTables(service.dir, stack, clients.dynamodb, clients.cognito);
      for (const [table, count] of Object.entries(seeded))
        log(`seeded ${count} items into ${table}`);
    }
    const bucketNotifications = queueNotifications(
      stacks.flatMap((stack) => stack.bucketNotifications),
    );
    s3Notifications.configure(bucketNotifications, region);

    const runnable = packaged.filter(
      (service) =>
        Object.keys(service.functions).length > 0 &&
        (!options.only || options.only.includes(service.name)),
    );
    // Each service's start options are kept, so it can be stopped and started again on the same
    // ports (crash drills: `POST /_local/services/<name>/stop|start` on the base URL).
    const controls = new Map<
      string,
      { start: () => Promise<OfflineService>; current?: OfflineService }
    >();
    const services = await Promise.all(
      runnable.map(async (service) => {
        const stack = stacks.find((s) => s.stackName === service.stackName);
        const [httpPort, lambdaPort, websocketPort] = await Promise.all([
          freePort(),
          freePort(),
          freePort(),
        ]);
        const start = () =>
          startOffline(service, {
            httpPort,
            lambdaPort,
            websocketPort,
            env: {
              ...templateEnvironment(service, stack, stacks),
              // serverless-offline cannot read the authorizer's imports; http-api.yml reads these.
              ...(identity
                ? { SHOP_ISSUER_URL: identity.issuer, SHOP_USER_POOL_CLIENT_ID: identity.clientId }
                : {}),
              AWS_ENDPOINT_URL: gateway.endpoint,
              AWS_ACCESS_KEY_ID: 'local',
              AWS_SECRET_ACCESS_KEY: 'local',
              AWS_REGION: region,
              // Handlers run on this machine's Node (20+) locally and on nodejs22.x in Lambda.
              AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
              // IAM: each function signs with credentials of its own (serverless-common plugin).
              ...iam.offlineEnvironment(),
            },
            onLine: (line, stream) => {
              options.onServiceLine?.(service.name, line, stream);
              localConsole.serviceLine(service.name, line); // the console's trails
              if (metered) usage.serviceLine(service.name, line); // billed durations
            },
          });
        const control: { start: () => Promise<OfflineService>; current?: OfflineService } = {
          start,
        };
        control.current = await start();
        controls.set(service.name, control);
        stoppers.push(async () => control.current?.stop());
        return control.current;
      }),
    );

    const eventSources = startEventSources(stacks, services, clients, region, options, metered);
    stoppers.push(...eventSources.map(({ poller }) => poller.stop));

    const routes: HttpRoute[] = services
      .filter((service) => service.hasHttpApi)
      .flatMap((service) =>
        routesFromTemplate(
          service.service.template.Resources,
          service.service.name,
          service.httpPort,
          (value) =>
            resolveIntrinsics(value, {
              region,
              stackName: service.service.stackName,
              resources:
                stacks.find((s) => s.stackName === service.service.stackName)?.resources ??
                new Map(),
              exports: allExports,
              ...(service.service.template.Conditions
                ? { conditions: service.service.template.Conditions }
                : {}),
            }),
        ),
      );
    const serviceControl = async (name: string, action: string) => {
      const control = controls.get(name);
      if (!control) return { status: 404, body: { detail: `no running service ${name}` } };
      if (action === 'stop') {
        await control.current?.stop();
        control.current = undefined;
        log(`■ ${name} stopped`);
      } else if (action === 'start' && !control.current) {
        control.current = await control.start();
        log(`▶ ${name} started`);
      }
      return { status: 200, body: { service: name, running: Boolean(control.current) } };
    };
    const router = await startHttpRouter(
      options.httpPort ?? 3000,
      routes,
      serviceControl,
      (baseUrl) =>
        mergedOpenApiDocument(
          services.filter((s) => s.hasHttpApi).map((s) => s.service.dir),
          baseUrl,
        ),
      {
        jwtAuthorizer,
        localConsole,
        ...(options.onGatewayRefusal ? { onRefused: options.onGatewayRefusal } : {}),
      },
    ).catch((error: NodeJS.ErrnoException) => {
      throw portError(error, options.httpPort ?? 3000, 'LOCAL_CLOUD_HTTP_PORT');
    });
    stoppers.push(router.stop);

    return {
      baseUrl: router.url,
      awsEndpoint: gateway.endpoint,
      mailViewerUrl: ses.endpoint,
      emulators: [dynamodb, sqsSns, ses, cognito].map(({ name, port }) => ({ name, port })),
      region,
      stage,
      ...(identity ? { identity } : {}),
      stacks,
      services,
      eventSources: eventSources.map(({ mapping }) => mapping),
      bucketNotifications,
      iam: { mode: iam.mode, counts: () => iam.counts() },
      startupMs: Date.now() - started,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One poller per SQS event source mapping whose function runs locally. */
function startEventSources(
  stacks: ProvisionedStack[],
  services: OfflineService[],
  clients: ReturnType<typeof awsClients>,
  region: string,
  options: LocalCloudOptions,
  metered: boolean,
) {
  const lambdaPortOf = new Map(
    services.flatMap((running) =>
      Object.values(running.service.functions).map((fn) => [fn.name, running.lambdaPort] as const),
    ),
  );
  return stacks
    .flatMap((stack) => stack.eventSourceMappings)
    .filter((mapping) => mapping.enabled && lambdaPortOf.has(mapping.functionName))
    .map((mapping) => ({
      mapping,
      poller: startSqsPoller(mapping, {
        sqs: clients.sqs,
        region,
        lambdaPort: lambdaPortOf.get(mapping.functionName) as number,
        concurrency: Number(process.env.LOCAL_CLOUD_POLLERS_PER_QUEUE ?? 1),
        onBatch: (outcome) => {
          options.onBatch?.(outcome);
          // A handler that threw prints no billed duration: its round trip stands in.
          if (metered && outcome.result.failed)
            usage.recordInvocation({
              functionName: outcome.mapping.functionName,
              durationMs: outcome.result.durationMs,
            });
        },
        onError: (error) =>
          options.log?.(
            `⚠ polling ${mapping.queueArn} for ${mapping.functionName}: ${error.message}`,
          ),
      }),
    }));
}

/** Packages services two at a time (the machine has two cores; each run is mostly esbuild). */
async function packageAll(
  dirs: string[],
  options: { repoRoot: string; stage: string; log: (line: string) => void; force: boolean },
): Promise<PackagedService[]> {
  const results: PackagedService[] = new Array(dirs.length);
  let next = 0;
  const worker = async () => {
    while (next < dirs.length) {
      const index = next++;
      results[index] = await packageService(dirs[index] as string, options);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/** Provisions stacks once every export they import exists, so the bus goes before its consumers. */
async function provisionAll(
  services: PackagedService[],
  clients: ReturnType<typeof awsClients>,
  log: (line: string) => void,
  /** IAM: queue policies decide which subscriptions and notifications are set up. */
  gate?: DeliveryGate,
): Promise<ProvisionedStack[]> {
  const exports = new Map<string, string>();
  const stacks: ProvisionedStack[] = [];
  let pending = [...services];
  while (pending.length > 0) {
    const ready = pending.filter((service) =>
      importsOf(service).every((name) => exports.has(name)),
    );
    if (ready.length === 0) {
      const missing = pending.map(
        (s) =>
          `${s.name} imports ${importsOf(s)
            .filter((n) => !exports.has(n))
            .join(', ')}`,
      );
      throw new Error(`no stack exports what these import: ${missing.join('; ')}`);
    }
    for (const service of ready) {
      const stack = await provisionStack(service.template, {
        stackName: service.stackName,
        region: service.region,
        clients,
        imports: exports,
        ...(gate ? { gate } : {}),
      });
      for (const [name, value] of stack.exports) exports.set(name, value);
      for (const problem of stack.unsupported) log(`⚠ ${service.name}: ${problem}`);
      stacks.push(stack);
    }
    pending = pending.filter((service) => !ready.includes(service));
  }
  return stacks;
}

function importsOf(service: PackagedService): string[] {
  const names = new Set<string>();
  JSON.stringify(service.template, (key, value) => {
    if (key === 'Fn::ImportValue' && typeof value === 'string') names.add(value);
    return value;
  });
  return [...names];
}

/**
 * The environment variables whose values are intrinsics in the template (an imported topic ARN,
 * a queue URL), resolved as CloudFormation would. serverless.yml reads them as
 * `${env:NAME, <intrinsic>}`, so serverless-offline gets the same values a deploy would.
 */
function templateEnvironment(
  service: PackagedService,
  stack: ProvisionedStack | undefined,
  stacks: ProvisionedStack[],
): Record<string, string> {
  const env: Record<string, string> = {};
  if (!stack) return env;
  const exports = new Map(stacks.flatMap((s) => [...s.exports]));
  const context = {
    region: service.region,
    stackName: service.stackName,
    resources: stack.resources,
    exports,
    ...(service.template.Conditions ? { conditions: service.template.Conditions } : {}),
  };
  for (const resource of Object.values(service.template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables =
      (resource.Properties?.Environment as { Variables?: Record<string, unknown> })?.Variables ??
      {};
    for (const [name, value] of Object.entries(variables)) {
      if (typeof value !== 'object' || value === null) continue;
      const resolved = resolveIntrinsics(value, context);
      // AWS::NoValue (e.g. from Fn::If) leaves the variable unset, as on AWS.
      if (resolved !== undefined) env[name] = String(resolved);
    }
  }
  return env;
}

/** The identity stack's exports: the pool, its app client and the issuer of their tokens. */
function identityOf(exports: ReadonlyMap<string, string>, stage: string) {
  const name = (output: string) => exports.get(`shop-identity-${stage}-${output}`);
  const userPoolId = name('UserPoolId');
  const clientId = name('UserPoolClientId');
  const issuer = name('IssuerUrl');
  return userPoolId && clientId && issuer ? { userPoolId, clientId, issuer } : undefined;
}

function portError(error: NodeJS.ErrnoException, port: number, variable: string): Error {
  if (error.code !== 'EADDRINUSE') return error;
  return new Error(
    `port ${port} on ${LOCAL_HOST} is in use: stop what holds it, or set ${variable} to another port`,
  );
}
