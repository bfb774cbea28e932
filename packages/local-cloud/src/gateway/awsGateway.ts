import {
  createServer,
  type IncomingHttpHeaders,
  IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_HOST } from '../net';
import {
  DynamoDbMeter,
  GatewayUsageMeter,
  type UsageRecorder,
  usage,
  usageMetered,
} from '../usage';
import { sendDenied } from './iam/accessDenied';
import { type IamEnforcer, RequestTooLargeError } from './iam/IamEnforcer';
import { refuseUnlessLoopback } from './loopbackGuard';
import { type AnswerInterceptor, proxyTo, sendJson } from './proxy';
import { objectCreatedBy, type S3NotificationDispatcher } from './s3Notifications';
import { answerSqsQuery, isSqsQueryRequest } from './sqsQueryProtocol';

/**
 * The SigV4 service name a request is signed for: from the Authorization header's credential scope
 * (`Credential=AKID/20261127/eu-west-1/sqs/aws4_request`) or, for presigned URLs, the
 * `X-Amz-Credential` query parameter.
 */
export function signedServiceName(
  headers: Record<string, string | string[] | undefined>,
  url: string,
): string | undefined {
  const authorization = headers.authorization;
  const scope =
    (typeof authorization === 'string'
      ? /Credential=([^,\s]+)/.exec(authorization)?.[1]
      : undefined) ??
    new URL(url, 'http://local').searchParams.get('X-Amz-Credential') ??
    undefined;
  return scope?.split('/')[3];
}

const COGNITO_TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
/** A user pool's discovery document and keys: `/eu-west-1_AbC123xyZ/.well-known/jwks.json`. */
const USER_POOL_WELL_KNOWN =
  /^\/[a-z]{2}(?:-[a-z]+)+-\d+_[A-Za-z0-9]+\/\.well-known\/(?:openid-configuration|jwks\.json)$/;

/**
 * The service a request is for: the one its signature names or, unsigned, Cognito's user-pool
 * API (the SDK and CLI send InitiateAuth, SignUp, ConfirmSignUp… unsigned, with
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Action>`) and a user pool's
 * `/.well-known/openid-configuration` and `/.well-known/jwks.json`. Undefined when it cannot be told.
 *
 * @example
 * routedServiceName({ method: 'GET', url: '/eu-west-1_AbC123xyZ/.well-known/jwks.json', headers: {} });
 * // 'cognito-idp'
 */
export function routedServiceName(request: {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}): string | undefined {
  const url = request.url ?? '/';
  const signed = signedServiceName(request.headers, url);
  if (signed) return signed;
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(COGNITO_TARGET_PREFIX)) return 'cognito-idp';
  const { pathname } = new URL(url, 'http://local');
  const userPoolDiscovery =
    (request.method === 'GET' || request.method === 'HEAD') && USER_POOL_WELL_KNOWN.test(pathname);
  return userPoolDiscovery ? 'cognito-idp' : undefined;
}

export interface AwsGateway {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface AwsGatewayOptions {
  /**
   * SigV4 service name (`sqs`, `sns`, `dynamodb`, `s3`, `ses`, `email`, `cognito-idp`) → emulator
   * port.
   */
  routes: Record<string, number>;
  /**
   * Service name → the in-process emulator's own request listener. A request for such a service
   * is handed to it directly instead of being sent again over HTTP to its port: the second hop
   * was about a third of the local cloud's CPU under load. Requests whose answer must be read on
   * the way (usage metering) still go through the port.
   */
  handlers?: Record<string, RequestListener>;
  /** Sends buckets' event notifications after objects are created (the emulator sends none). */
  s3Notifications?: S3NotificationDispatcher;
  onNotificationError?: (error: Error) => void;
  /** Evaluates requests signed with a function's credentials against its role (see IamEnforcer). */
  iam?: IamEnforcer;
  /**
   * Where functions' requests are counted in billing units. Default: the process's `usage` when
   * `LOCAL_CLOUD_USAGE=on` (as `pnpm load` sets it), else nothing — metering reads every written
   * item once more, work `pnpm dev` has no use for.
   */
  usage?: UsageRecorder | false;
}

/**
 * One endpoint for every emulated AWS service, LocalStack-style: each request goes to the emulator
 * of the service its signature names (see {@link routedServiceName}), so
 * `AWS_ENDPOINT_URL=http://127.0.0.1:4566` or `aws --endpoint-url http://127.0.0.1:4566` reach them
 * all. SQS's query protocol is translated to the JSON one the emulator speaks, and only requests
 * addressed to a loopback host, from no foreign web page, are served (see `loopbackGuard`).
 * With `iam`, a request signed with a function's credentials is served only if its role allows it.
 */
export async function startAwsGateway(
  port: number,
  options: AwsGatewayOptions,
): Promise<AwsGateway> {
  const { routes, s3Notifications, iam, handlers = {} } = options;
  const recorder = options.usage ?? (usageMetered() ? usage : false);
  const dynamoDbMeter =
    recorder && routes.dynamodb !== undefined ? new DynamoDbMeter(routes.dynamodb) : undefined;
  const usageMeter = recorder ? new GatewayUsageMeter(recorder, dynamoDbMeter) : undefined;
  /**
   * Sends a request on to its emulator; `body` and `intercept` come from authorizing it or
   * metering it, `onAnswered` from metering it.
   */
  const forward = (
    service: string,
    target: number,
    req: IncomingMessage,
    res: ServerResponse,
    authorized: {
      body?: Buffer;
      intercept?: AnswerInterceptor;
      onAnswered?: (status: number) => void;
    } = {},
  ): void => {
    if (isSqsQueryRequest(service, req)) {
      answerSqsQuery(target, req, res, authorized.body);
      return;
    }
    const created = service === 's3' && s3Notifications ? objectCreatedBy(req) : undefined;
    const onAnswered = (status: number) => {
      authorized.onAnswered?.(status);
      if (!created || !s3Notifications || status < 200 || status >= 300) return;
      s3Notifications
        .objectCreated(created, req.socket.remoteAddress ?? LOCAL_HOST)
        .catch((error: Error) => options.onNotificationError?.(error));
    };
    const handle = handlers[service];
    if (handle && !authorized.intercept) {
      res.once('finish', () => onAnswered(res.statusCode));
      handle(authorized.body ? withBody(req, authorized.body) : req, res);
      return;
    }
    proxyTo(target, req, res, onAnswered, authorized);
  };
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (refuseUnlessLoopback(req, res)) return;
    const service = routedServiceName(req);
    const target = service ? routes[service] : undefined;
    if (target === undefined) {
      sendJson(res, 400, {
        title: 'Bad Request',
        detail: service
          ? `service "${service}" is not emulated locally; available: ${Object.keys(routes).join(', ')}`
          : 'unsigned request: sign it with any credentials (the local cloud accepts all) so its service can be told',
      });
      return;
    }
    // Usage: counted as it goes through (usage/GatewayUsageMeter.ts).
    const metered = (authorized: { body?: Buffer; intercept?: AnswerInterceptor } = {}) =>
      usageMeter && service
        ? usageMeter.forward(service, req, authorized, (hooks) =>
            forward(service, target, req, res, hooks),
          )
        : forward(service ?? '', target, req, res, authorized);
    const functionName = service && iam?.callerOf(req);
    if (!service || !iam || !functionName) {
      metered();
      return;
    }
    iam.authorize(functionName, service, req).then(
      (verdict) => (verdict.allowed ? metered(verdict) : sendDenied(res, verdict.answer)),
      (error: Error) => {
        if (res.headersSent) return;
        if (error instanceof RequestTooLargeError) {
          sendJson(res, 413, { title: 'Payload Too Large', detail: error.message });
        } else {
          sendJson(res, 500, { title: 'IAM evaluation failed', detail: error.message });
        }
      },
    );
  };
  const server: Server = createServer((req, res) => {
    try {
      serve(req, res);
    } catch (error) {
      // Node accepts request targets that URL parsing rejects (`GET http://[bad/`): answer, not crash.
      sendJson(res, 400, { title: 'Bad Request', detail: (error as Error).message });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOCAL_HOST, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${LOCAL_HOST}:${actual}`,
    port: actual,
    stop: () =>
      new Promise((resolve) =>
        server.close(() => {
          dynamoDbMeter?.stop();
          resolve();
        }),
      ),
  };
}

/**
 * The request again, with the body that was read from it to authorize it: what the emulator's
 * listener reads instead of the spent stream. Same socket, method, URL and headers.
 */
function withBody(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  // Everything is pushed now; reading must not resume the shared socket (a keep-alive
  // connection's next request is the server's to parse).
  copy._read = () => {};
  copy.push(body);
  copy.push(null);
  copy.complete = true;
  return copy;
}
