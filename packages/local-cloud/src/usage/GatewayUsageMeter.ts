import type { IncomingMessage, ServerResponse } from 'node:http';
import { functionNameOf } from '../gateway/iam/IamEnforcer';
import type { AnswerInterceptor } from '../gateway/proxy';
import { isSqsQueryRequest } from '../gateway/sqsQueryProtocol';
import { s3RequestTier, sesEmailsSent, snsRequestUse, sqsRequestUse } from './billedRequests';
import type { DynamoDbMeter } from './dynamoDbMeter';
import type { UsageRecorder } from './UsageRecorder';

/** How the gateway forwards a request: the body to send instead of the stream, and answer hooks. */
export interface ForwardHooks {
  body?: Buffer;
  intercept?: AnswerInterceptor;
  onAnswered?: (status: number) => void;
}

/** The access key the local cloud's own clients (its SQS pollers) sign with. */
const LOCAL_CLOUD_ACCESS_KEY = 'local';
/** Bodies larger than this are forwarded unmetered (no AWS JSON or query API takes more). */
const MAX_METERED_BODY_BYTES = 16 * 1_048_576;

/**
 * Who pays for a request: the function whose credentials signed it, `local-cloud` for the local
 * cloud's own pollers (Lambda's pollers' SQS requests are billed to the account too), otherwise
 * nobody (the load tool's checks, a developer's CLI).
 */
export function billableCaller(req: IncomingMessage): string | undefined {
  const functionName = functionNameOf(req);
  if (functionName) return functionName;
  const authorization = req.headers.authorization;
  const accessKey =
    typeof authorization === 'string'
      ? /Credential=([^/,\s]+)\//.exec(authorization)?.[1]
      : undefined;
  return accessKey === LOCAL_CLOUD_ACCESS_KEY ? 'local-cloud' : undefined;
}

/** The API action of a JSON-protocol request (`X-Amz-Target: DynamoDB_20120810.PutItem`). */
function targetAction(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' ? target.split('.').pop() : undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_METERED_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Reads a whole answer, hands its body to `count` and waits for it (a DynamoDB update reads the
 * item after the write, before its caller can write again), then sends it on unchanged.
 */
function capturingAnswer(
  count: (status: number, body: Buffer) => void | Promise<void>,
): AnswerInterceptor {
  return (answer) =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('error', reject);
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const status = answer.statusCode ?? 502;
        const send = (res: ServerResponse) => {
          res.writeHead(status, answer.headers);
          res.end(body);
        };
        Promise.resolve()
          .then(() => count(status, body))
          .then(
            () => resolve(send),
            () => resolve(send),
          );
      });
    });
}

const parseJson = (body: Buffer | undefined): Record<string, unknown> => {
  try {
    return JSON.parse(body?.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
};

/**
 * The AWS gateway's side of the usage recorder: for every request a function (or the local
 * cloud's poller) makes, counts what AWS would bill — SQS and SNS requests by 64 KB chunk,
 * DynamoDB request units, SES emails, S3 requests by class. Requests and answers go through
 * unchanged; answers of DynamoDB and SQS are read whole before they are sent on (they are small).
 */
export class GatewayUsageMeter {
  readonly #recorder: UsageRecorder;
  readonly #dynamodb: DynamoDbMeter | undefined;
  readonly #onError: (error: Error) => void;

  constructor(
    recorder: UsageRecorder,
    dynamodb?: DynamoDbMeter,
    onError: (error: Error) => void = () => {},
  ) {
    this.#recorder = recorder;
    this.#dynamodb = dynamodb;
    this.#onError = onError;
  }

  /**
   * Counts a request the gateway is about to forward; calls `send` with how to forward it.
   * `authorized` is what IAM authorization already read (the body) or set (an interceptor).
   */
  forward(
    service: string,
    req: IncomingMessage,
    authorized: { body?: Buffer; intercept?: AnswerInterceptor },
    send: (hooks: ForwardHooks) => void,
  ): void {
    this.#hooks(service, req, authorized).then(send, (error: Error) => {
      this.#onError(error);
      send(authorized);
    });
  }

  async #hooks(
    service: string,
    req: IncomingMessage,
    authorized: { body?: Buffer; intercept?: AnswerInterceptor },
  ): Promise<ForwardHooks> {
    const caller = billableCaller(req);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    if (service === 's3') {
      const counted = this.#recorder.recordAwsRequest({ caller, service, action: method });
      if (counted) this.#recorder.recordS3(s3RequestTier(method, path));
      return authorized;
    }
    // SQS's query protocol (the CLI; the SDK speaks JSON) is left to its translator, which reads
    // and limits the body itself: counted as one request.
    if (!caller || isSqsQueryRequest(service, req)) {
      const action = targetAction(req) ?? (caller ? 'query protocol' : method);
      const counted = this.#recorder.recordAwsRequest({ caller, service, action });
      if (counted) this.#recorder.recordSqs(action, sqsRequestUse(action, {}, {}));
      return authorized;
    }
    const body = authorized.body ?? (await readBody(req));
    if (!body) return authorized;
    const form = (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
      ? new URLSearchParams(body.toString('utf8'))
      : undefined;
    const action = targetAction(req) ?? form?.get('Action') ?? `${method} ${path.split('?')[0]}`;
    this.#recorder.recordAwsRequest({ caller, service, action });
    const hooks: ForwardHooks = { ...authorized, body };
    switch (service) {
      case 'sqs':
        return {
          ...hooks,
          intercept: capturingAnswer((status, answer) => {
            if (status < 400)
              this.#recorder.recordSqs(
                action,
                sqsRequestUse(action, parseJson(body), parseJson(answer)),
              );
          }),
        };
      case 'sns':
        return {
          ...hooks,
          onAnswered: (status) => {
            if (status < 400)
              this.#recorder.recordSns(
                action,
                snsRequestUse(action, form ?? new URLSearchParams()),
              );
          },
        };
      case 'ses':
      case 'email':
        return {
          ...hooks,
          onAnswered: (status) => {
            if (status < 400)
              this.#recorder.recordSesEmails(
                sesEmailsSent({ method, path, body: body.toString('utf8') }, form),
              );
          },
        };
      case 'dynamodb': {
        if (!this.#dynamodb) return hooks;
        const settle = await this.#dynamodb.prepare(action, parseJson(body));
        return {
          ...hooks,
          intercept: capturingAnswer((status, answer) =>
            settle(status, parseJson(answer)).then(
              (uses) => this.#recorder.recordDynamoDb(caller, uses),
              this.#onError,
            ),
          ),
        };
      }
      default:
        return hooks;
    }
  }
}
