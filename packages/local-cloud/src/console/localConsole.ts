import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ProvisionedStack } from '../cloudformation/provision';
import type { JwtAuthorizer } from '../gateway/jwtAuthorizer';
import { isLoopbackHost } from '../gateway/loopbackGuard';
import { ADMIN_GROUP, seedUsers } from '../identity/localIdentity';
import { LOCAL_HOST } from '../net';
import { redrive } from '../redrive';
import { consoleAssets } from './assets';
import { readBody, sendData, sendProblem } from './http';
import { LiveTrails } from './liveTrail';
import { streamOrder } from './orderStream';
import { listQueues, peekDeadLetters } from './queues';

/** Where the console is served on the base URL. */
export const CONSOLE_PATH = '/_local/console/';

/**
 * Whether a path is the console's: `/_local/console` and everything under it.
 *
 * @example
 * isConsolePath('/_local/console/app.js'); // true
 * isConsolePath('/_local/services/order/stop'); // false
 */
export function isConsolePath(pathname: string): boolean {
  return pathname === CONSOLE_PATH.slice(0, -1) || pathname.startsWith(CONSOLE_PATH);
}

/** The payment tokens of the sandbox gateway (README, "Quick start"). */
const SANDBOX_PAYMENT_TOKENS = [
  { token: 'tok_sandbox_success', label: 'succeeds' },
  { token: 'tok_sandbox_declined', label: 'declined' },
  { token: 'tok_sandbox_transient', label: 'fails once, then succeeds on the retry' },
  {
    token: 'tok_sandbox_always_unavailable',
    label: 'gateway always unavailable (ends in the DLQ)',
  },
];

export interface LocalConsoleOptions {
  repoRoot: string;
  stage: string;
  region: string;
  awsEndpoint: string;
  mailViewerUrl: string;
  identity?: { userPoolId: string; clientId: string; issuer: string };
  stacks: ProvisionedStack[];
  /** The authorizer the base URL checks tokens with: the console trusts exactly what it trusts. */
  jwtAuthorizer: JwtAuthorizer;
}

export interface LocalConsole {
  /** Serves a request under `/_local/console` (the router has already applied the loopback guard). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void;
  /** Every line a service prints: the console keeps each flow's trail in memory. */
  serviceLine(service: string, line: string): void;
  /** How long bundling the page's script took on its first request (undefined before). */
  bundleMs(): number | undefined;
  /** Ends open event streams (the HTTP server cannot close while they last) and esbuild. */
  stop(): Promise<void>;
}

interface Caller {
  sub: string;
  email: string;
  admin: boolean;
}

interface SesEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

/**
 * The local console: a web page under the base URL (`/_local/console/`) and the routes it reads
 * the local cloud through. Customers and the administrator sign in through the emulated Cognito
 * and use the shop's own APIs with their ID token; what no API offers (every order, queues and
 * their dead letters, the media bucket, the mail store, each flow's log lines) the console reads
 * through the local AWS endpoint, behind the same JWT check the base URL makes, the admin group
 * required for anything beyond the caller's own data.
 *
 * @example
 * const localConsole = createLocalConsole({ repoRoot, stage, region, awsEndpoint, … });
 * startHttpRouter(port, routes, control, openApi, { localConsole });
 */
export function createLocalConsole(options: LocalConsoleOptions): LocalConsole {
  const consoleDir = join(options.repoRoot, 'packages', 'console');
  const assets = consoleAssets(consoleDir);
  const trails = new LiveTrails();
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const config = { endpoint: options.awsEndpoint, region: options.region, credentials };
  const sqs = new SQSClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  const awsPort = Number(new URL(options.awsEndpoint).port);
  const ordersTable =
    physicalName(options.stacks, 'OrdersTable') ?? `shop-order-${options.stage}-orders`;
  // The media bucket is the one whose uploads the thumbnail service is notified of.
  const mediaBucket =
    options.stacks.flatMap((stack) => stack.bucketNotifications)[0]?.bucket ??
    `shop-thumbnail-${options.stage}-media-000000000000`;
  const streams = new Set<() => void>();

  /** The verified caller, or undefined once a 401/403 has been sent. */
  const callerOf = async (
    req: IncomingMessage,
    res: ServerResponse,
    need: { admin: boolean },
  ): Promise<Caller | undefined> => {
    const identity = options.identity;
    if (!identity) {
      sendProblem(res, 503, 'No user pool', 'the local cloud runs without the identity stack');
      return undefined;
    }
    const check = await options.jwtAuthorizer.check(req.headers.authorization, {
      issuer: identity.issuer,
      audience: [identity.clientId],
      header: 'authorization',
    });
    if (!check.ok) {
      sendProblem(res, 401, 'Unauthorized', `${check.reason}; sign in again`, {
        headers: { 'WWW-Authenticate': check.challenge },
      });
      return undefined;
    }
    const groups = check.claims['cognito:groups'];
    const admin = Array.isArray(groups) && groups.includes(ADMIN_GROUP);
    if (need.admin && !admin) {
      sendProblem(res, 403, 'Forbidden', 'only administrators (the admin group) may use this');
      return undefined;
    }
    return {
      sub: String(check.claims.sub ?? ''),
      email: String(check.claims.email ?? '').toLowerCase(),
      admin,
    };
  };

  const storedEmails = async (): Promise<SesEmail[]> => {
    const answer = await fetch(`${options.mailViewerUrl}/store`);
    if (!answer.ok) throw new Error(`the mail store answered ${answer.status}`);
    return ((await answer.json()) as { emails: SesEmail[] }).emails;
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname.slice(CONSOLE_PATH.length - 1);
    const method = req.method ?? 'GET';
    const allow = (methods: string) => {
      if (methods.split(', ').includes(method)) return true;
      sendProblem(res, 405, 'Method Not Allowed', `${url.pathname} answers ${methods}`, {
        headers: { Allow: methods },
      });
      return false;
    };

    if (path === '' || path === '/' || /^\/[\w.-]+\.(?:html|css|js)$/.test(path)) {
      if (!allow('GET, HEAD')) return;
      // Relative URLs in the page need the trailing slash.
      if (path === '') {
        res.writeHead(308, { Location: CONSOLE_PATH });
        res.end();
        return;
      }
      const asset = await assets
        .get(path === '/' ? 'index.html' : path.slice(1))
        .catch((error: Error & { errors?: { text: string }[] }) => {
          const detail = error.errors?.map((e) => e.text).join('; ') ?? error.message;
          sendProblem(res, 500, 'The console did not build', detail);
          return null;
        });
      if (asset === null) return;
      if (!asset) {
        sendProblem(res, 404, 'Not Found', `the console has no file ${path}`);
        return;
      }
      res.writeHead(200, {
        'Content-Type': asset.contentType,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        // Emails are shown in sandboxed frames (no scripts, opaque origin) that inherit this
        // policy: their inline styles are allowed, nothing else of theirs runs or loads.
        'Content-Security-Policy':
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'none'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'",
      });
      res.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }

    if (path === '/api/config') {
      if (!allow('GET')) return;
      sendData(res, {
        region: options.region,
        stage: options.stage,
        userPool: options.identity
          ? { userPoolId: options.identity.userPoolId, clientId: options.identity.clientId }
          : null,
        paymentTokens: SANDBOX_PAYMENT_TOKENS,
        // Local only, and in the README already: the sign-in page offers them.
        seededUsers: seedUsers(options.repoRoot).map((user) => ({
          email: user.email,
          password: user.password,
          role: (user.groups ?? []).includes(ADMIN_GROUP) ? 'admin' : 'customer',
        })),
        mediaBucket,
      });
      return;
    }

    if (path === '/api/sign-in') {
      if (!allow('POST')) return;
      await forwardInitiateAuth(req, res, options.awsEndpoint);
      return;
    }

    if (path === '/api/orders') {
      if (!allow('GET') || !(await callerOf(req, res, { admin: true }))) return;
      sendData(res, await scanOrders(dynamo, ordersTable));
      return;
    }

    const stream = /^\/api\/orders\/([^/]+)\/stream$/.exec(path);
    if (stream) {
      if (!allow('GET')) return;
      const close = await streamOrder(req, res, decodeURIComponent(stream[1] as string), {
        trails,
        correlationIdOf: async (orderId) => {
          const { Item } = await dynamo.send(
            new GetCommand({
              TableName: ordersTable,
              Key: { orderId },
              ProjectionExpression: 'correlationId',
            }),
          );
          return Item?.correlationId as string | undefined;
        },
        emailsOf: async (correlationId) =>
          (await storedEmails())
            .filter((email) => correlationIdOf(email) === correlationId)
            .map(emailView),
      });
      streams.add(close);
      req.on('close', () => streams.delete(close));
      return;
    }

    if (path === '/api/emails') {
      if (!allow('GET')) return;
      const caller = await callerOf(req, res, { admin: false });
      if (!caller) return;
      // A customer sees what was sent to the address their token verifies; the admin, all.
      const emails = (await storedEmails())
        .filter(
          (email) =>
            caller.admin || email.destination.to.some((to) => addressOf(to) === caller.email),
        )
        .sort((a, b) => b.at - a.at)
        .map(emailView);
      sendData(res, { emails });
      return;
    }

    if (path === '/api/media') {
      if (!allow('GET') || !(await callerOf(req, res, { admin: true }))) return;
      const { Contents = [] } = await s3.send(
        new ListObjectsV2Command({ Bucket: mediaBucket, Prefix: 'thumbnails/', MaxKeys: 1000 }),
      );
      sendData(res, {
        bucket: mediaBucket,
        thumbnails: Contents.sort(
          (a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0),
        )
          .slice(0, 100)
          .map((object) => ({
            key: object.Key,
            size: object.Size,
            lastModified: object.LastModified?.toISOString(),
          })),
      });
      return;
    }

    const media = /^\/api\/media\/(thumbnails\/.+)$/.exec(path);
    if (media) {
      if (!allow('GET')) return;
      // Thumbnails are catalog images: as public as `GET /products`. Originals are not served.
      const key = decodeURIComponent(media[1] as string);
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: mediaBucket, Key: key }));
        res.writeHead(200, {
          'Content-Type': object.ContentType ?? 'application/octet-stream',
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(Buffer.from((await object.Body?.transformToByteArray()) ?? []));
      } catch (error) {
        if (!(error instanceof NoSuchKey) && (error as Error).name !== 'NoSuchKey') throw error;
        sendProblem(res, 404, 'Not Found', `no object ${key} in ${mediaBucket} (yet)`);
      }
      return;
    }

    if (path === '/api/presigned-put') {
      if (!allow('PUT')) return;
      forwardPresignedPut(req, res, url.searchParams.get('url') ?? '', awsPort);
      return;
    }

    if (path === '/api/queues') {
      if (!allow('GET') || !(await callerOf(req, res, { admin: true }))) return;
      sendData(res, { queues: await listQueues(sqs) });
      return;
    }

    const queue = /^\/api\/queues\/([\w-]+)\/(messages|redrive)$/.exec(path);
    if (queue) {
      const [, name = '', action] = queue;
      if (!allow(action === 'messages' ? 'GET' : 'POST')) return;
      if (!(await callerOf(req, res, { admin: true }))) return;
      const view = (await listQueues(sqs)).find((q) => q.name === name);
      if (!view) {
        sendProblem(res, 404, 'Not Found', `no queue ${name}`);
        return;
      }
      if (!view.deadLetterSourceOf) {
        sendProblem(
          res,
          409,
          'Not a dead-letter queue',
          `${name} is a consumer queue: peeking would hide its messages from its poller, and it has nothing to redrive`,
        );
        return;
      }
      try {
        if (action === 'messages') {
          sendData(res, { queue: name, messages: await peekDeadLetters(sqs, name) });
        } else {
          // What `pnpm redrive <dlq>` does.
          const { moved, to } = await redrive(sqs, name);
          sendData(res, { queue: name, moved, to: to.split('/').at(-1) });
        }
      } catch (error) {
        if (!(error instanceof QueueDoesNotExist)) throw error;
        sendProblem(res, 404, 'Not Found', `no queue ${name}`);
      }
      return;
    }

    sendProblem(res, 404, 'Not Found', `the console has no route ${url.pathname}`);
  };

  return {
    handle(req, res, url) {
      route(req, res, url).catch((error: Error) =>
        sendProblem(res, 500, 'The console route failed', error.message),
      );
    },
    serviceLine: (service, line) => trails.record(service, line),
    bundleMs: () => assets.lastBundleMs(),
    async stop() {
      for (const close of streams) close();
      streams.clear();
      await assets.stop();
    },
  };
}

function physicalName(stacks: ProvisionedStack[], logicalId: string): string | undefined {
  for (const stack of stacks) {
    const resource = stack.resources.get(logicalId);
    if (resource) return resource.ref;
  }
  return undefined;
}

/** `Ada <ada@example.com>` → `ada@example.com`. */
function addressOf(recipient: string): string {
  return (/<([^>]+)>/.exec(recipient)?.[1] ?? recipient).trim().toLowerCase();
}

function correlationIdOf(email: SesEmail): string | undefined {
  return email.headers?.find((header) => header.name.toLowerCase() === 'x-correlation-id')?.value;
}

function emailView(email: SesEmail) {
  return {
    messageId: email.messageId,
    from: email.from,
    to: email.destination.to,
    subject: email.subject,
    at: new Date(email.at * (email.at < 1e12 ? 1000 : 1)).toISOString(),
    html: email.body.html,
    text: email.body.text,
    correlationId: correlationIdOf(email),
  };
}

/** Every order in the table, newest first, as the API shows one (no payment token, no outbox). */
async function scanOrders(dynamo: DynamoDBDocumentClient, table: string) {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  const MAX = 1000;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && items.length < MAX);
  const orders = items
    .map((item) => ({
      orderId: item.orderId,
      customerId: item.customerId,
      customerEmail: item.customerEmail,
      lines: item.lines,
      total: item.total,
      status: item.status,
      ...(item.cancellationReason ? { cancellationReason: item.cancellationReason } : {}),
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      timeline: item.timeline,
    }))
    .sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  return { items: orders, truncated: Boolean(ExclusiveStartKey) };
}

const INITIATE_AUTH = 'AWSCognitoIdentityProviderService.InitiateAuth';

/**
 * Forwards the page's `InitiateAuth` to the AWS endpoint unchanged (target, content type, body):
 * the very call a client app makes to Cognito. The AWS endpoint is another origin and refuses
 * browsers, so the page makes it through its own origin; nothing but InitiateAuth goes through.
 */
async function forwardInitiateAuth(
  req: IncomingMessage,
  res: ServerResponse,
  awsEndpoint: string,
): Promise<void> {
  const target = req.headers['x-amz-target'];
  const contentType = req.headers['content-type'] ?? '';
  if (target !== INITIATE_AUTH || !contentType.startsWith('application/x-amz-json-1.1')) {
    sendProblem(
      res,
      400,
      'Bad Request',
      `only ${INITIATE_AUTH} with Content-Type application/x-amz-json-1.1 is forwarded`,
    );
    return;
  }
  const body = await readBody(req, 16_384);
  const answer = await fetch(`${awsEndpoint}/`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, 'X-Amz-Target': target },
    body,
  });
  res.writeHead(answer.status, {
    'Content-Type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.1',
    'Cache-Control': 'no-store',
  });
  res.end(await answer.text());
}

/**
 * Sends a browser's upload to the presigned URL it was given: the same method, path, query
 * (signature included), Host, Content-Type and Content-Length, the body streamed. The URL must be
 * a presigned one on the local AWS endpoint; its signature is the authorization, checked there.
 * The AWS endpoint refuses cross-origin browser requests, so the page sends it to its own origin.
 */
function forwardPresignedPut(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  awsPort: number,
): void {
  const url = URL.canParse(target) ? new URL(target) : undefined;
  if (
    url?.protocol !== 'http:' ||
    !isLoopbackHost(url.host) ||
    Number(url.port) !== awsPort ||
    !url.searchParams.has('X-Amz-Signature')
  ) {
    sendProblem(res, 400, 'Bad Request', 'url must be a presigned URL on the local AWS endpoint', {
      issues: [{ path: 'url', message: 'is not a presigned URL of the local AWS endpoint' }],
    });
    return;
  }
  const headers: Record<string, string> = { host: url.host };
  for (const name of ['content-type', 'content-length']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const upstream = request(
    {
      host: LOCAL_HOST,
      port: awsPort,
      method: 'PUT',
      path: `${url.pathname}${url.search}`,
      headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, {
        'Content-Type': answer.headers['content-type'] ?? 'application/xml',
        'Cache-Control': 'no-store',
        ...(answer.headers.etag ? { ETag: answer.headers.etag } : {}),
      });
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) =>
    sendProblem(res, 502, 'Bad Gateway', `the AWS endpoint: ${error.message}`),
  );
  req.pipe(upstream);
}
