import type { SqsRequestUse } from './billedRequests';
import type { CapacityUse } from './dynamoDbCapacity';
import { loggedInvocation } from './offlineLog';

/** Invocations of one function in a usage snapshot. */
export interface FunctionUsage {
  /** The function's key in its serverless.yml (from serverless-offline's log) or deployed name. */
  name: string;
  /** The service folder, when the invocation was read from that service's log. */
  service?: string;
  invocations: number;
  /** Billed duration of each invocation, in order (ms, rounded up to 1 ms as Lambda bills). */
  billedMs: number[];
  /** Where the durations come from: serverless-offline's per-invocation log line, or a round trip. */
  source: 'offline-log' | 'round-trip';
}

/** What the local cloud served between two instants, counted as AWS would bill it. */
export interface UsageSnapshot {
  from: string;
  to: string;
  functions: FunctionUsage[];
  /** Requests the base URL forwarded to a function (not the ones it refused: 401, 429). */
  apiGateway: { requests: number; billedRequests: number; byRoute: Record<string, number> };
  sqs: {
    billedRequests: number;
    receives: number;
    emptyReceives: number;
    messagesReceived: number;
    firstReceives: number;
    byAction: Record<string, number>;
  };
  sns: { billedRequests: number; messagesPublished: number; byAction: Record<string, number> };
  dynamodb: {
    /** Units per table and caller (a function's deployed name, or `local-cloud`). */
    tables: {
      table: string;
      caller: string;
      requests: number;
      readUnits: number;
      writeUnits: number;
      indexWriteUnits: number;
    }[];
  };
  ses: { emails: number };
  s3: { tier1: number; tier2: number; free: number };
  /** AWS API calls by caller (a function's name, or `local-cloud` for its own pollers). */
  requests: { caller: string; service: string; action: string; count: number }[];
  /** Calls by other clients (the load tool's checks, a CLI): not part of any cost. */
  excludedRequests: number;
}

/** Durations kept per function: enough for percentiles of a load run. */
const MAX_SAMPLES = 50_000;

const increment = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/**
 * Counts what the system uses while it runs locally, in AWS's billing units: function
 * invocations and billed durations, API Gateway requests, SQS and SNS requests by 64 KB chunk,
 * DynamoDB request units, SES emails, S3 requests by class. The AWS gateway, the base URL and
 * the service logs feed it; `GET /_local/usage` on the base URL reads it, `pnpm cost` prices it.
 *
 * @example
 * const recorder = new UsageRecorder();
 * recorder.serviceLine('order', '(λ: getOrder) RequestId: r-1  Duration: 12.40 ms  Billed Duration: 13 ms');
 * recorder.snapshot().functions; // [{ name: 'getOrder', service: 'order', invocations: 1, billedMs: [13], … }]
 */
export class UsageRecorder {
  #from = new Date();
  #functions = new Map<string, FunctionUsage>();
  /** Invocations already counted: a service's log may be fed from more than one place. */
  #seenRequestIds = new Set<string>();
  #api = { requests: 0, billedRequests: 0, byRoute: {} as Record<string, number> };
  #sqs = {
    billedRequests: 0,
    receives: 0,
    emptyReceives: 0,
    messagesReceived: 0,
    firstReceives: 0,
    byAction: {} as Record<string, number>,
  };
  #sns = { billedRequests: 0, messagesPublished: 0, byAction: {} as Record<string, number> };
  #tables = new Map<string, UsageSnapshot['dynamodb']['tables'][number]>();
  #ses = { emails: 0 };
  #s3 = { tier1: 0, tier2: 0, free: 0 };
  #requests: Record<string, number> = {};
  #excluded = 0;

  /** Reads a service's log line; counts the invocation serverless-offline reports in it, if any. */
  serviceLine(service: string, line: string): void {
    const logged = loggedInvocation(line);
    if (!logged || this.#seenRequestIds.has(logged.requestId)) return;
    this.#seenRequestIds.add(logged.requestId);
    this.#invocation(`${service}/${logged.functionKey}`, {
      name: logged.functionKey,
      service,
      billedMs: logged.billedMs,
      source: 'offline-log',
    });
  }

  /**
   * Counts an invocation timed from outside (the SQS poller's round trip). Only for invocations
   * that print no serverless-offline line — a handler that threw — since the others are counted
   * from their line, with the handler's own duration.
   */
  recordInvocation(invocation: { functionName: string; durationMs: number }): void {
    this.#invocation(invocation.functionName, {
      name: invocation.functionName,
      billedMs: Math.ceil(invocation.durationMs),
      source: 'round-trip',
    });
  }

  #invocation(
    key: string,
    invocation: Omit<FunctionUsage, 'invocations' | 'billedMs'> & { billedMs: number },
  ): void {
    const existing = this.#functions.get(key) ?? {
      ...invocation,
      invocations: 0,
      billedMs: [],
    };
    existing.invocations += 1;
    if (existing.billedMs.length < MAX_SAMPLES) existing.billedMs.push(invocation.billedMs);
    this.#functions.set(key, existing);
  }

  /** A request the base URL forwarded; HTTP APIs meter requests in 512 KB increments. */
  recordApiRequest(route: string, requestBytes: number): void {
    this.#api.requests += 1;
    this.#api.billedRequests += Math.max(1, Math.ceil(requestBytes / (512 * 1024)));
    increment(this.#api.byRoute, route);
  }

  /**
   * An AWS API call through the gateway. Calls by anyone but a function or the local cloud's own
   * pollers are only counted as excluded; the caller records their billing units only when billable.
   */
  recordAwsRequest(call: { caller: string | undefined; service: string; action: string }): boolean {
    if (!call.caller) {
      this.#excluded += 1;
      return false;
    }
    increment(this.#requests, `${call.caller}\u0000${call.service}\u0000${call.action}`);
    return true;
  }

  recordSqs(action: string, use: SqsRequestUse): void {
    this.#sqs.billedRequests += use.billedRequests;
    this.#sqs.messagesReceived += use.messagesReceived;
    this.#sqs.firstReceives += use.firstReceives;
    if (action === 'ReceiveMessage') this.#sqs.receives += 1;
    if (use.emptyReceive) this.#sqs.emptyReceives += 1;
    increment(this.#sqs.byAction, action);
  }

  recordSns(action: string, use: { billedRequests: number; messagesPublished: number }): void {
    this.#sns.billedRequests += use.billedRequests;
    this.#sns.messagesPublished += use.messagesPublished;
    increment(this.#sns.byAction, action);
  }

  /** The units one DynamoDB request of `caller` consumed, per table it touched. */
  recordDynamoDb(caller: string, uses: CapacityUse[]): void {
    const requestTables = new Set<string>();
    for (const use of uses) {
      const key = `${use.table}\u0000${caller}`;
      const table = this.#tables.get(key) ?? {
        table: use.table,
        caller,
        requests: 0,
        readUnits: 0,
        writeUnits: 0,
        indexWriteUnits: 0,
      };
      if (!requestTables.has(use.table)) table.requests += 1;
      requestTables.add(use.table);
      table.readUnits += use.readUnits;
      table.writeUnits += use.writeUnits;
      table.indexWriteUnits += use.indexWriteUnits;
      this.#tables.set(key, table);
    }
  }

  recordSesEmails(emails: number): void {
    this.#ses.emails += emails;
  }

  recordS3(tier: 1 | 2 | undefined): void {
    if (tier === 1) this.#s3.tier1 += 1;
    else if (tier === 2) this.#s3.tier2 += 1;
    else this.#s3.free += 1;
  }

  snapshot(): UsageSnapshot {
    return {
      from: this.#from.toISOString(),
      to: new Date().toISOString(),
      functions: [...this.#functions.values()].map((f) => ({ ...f, billedMs: [...f.billedMs] })),
      apiGateway: { ...this.#api, byRoute: { ...this.#api.byRoute } },
      sqs: { ...this.#sqs, byAction: { ...this.#sqs.byAction } },
      sns: { ...this.#sns, byAction: { ...this.#sns.byAction } },
      dynamodb: { tables: [...this.#tables.values()].map((table) => ({ ...table })) },
      ses: { ...this.#ses },
      s3: { ...this.#s3 },
      requests: Object.entries(this.#requests).map(([key, count]) => {
        const [caller = '', service = '', action = ''] = key.split('\u0000');
        return { caller, service, action, count };
      }),
      excludedRequests: this.#excluded,
    };
  }

  /** Forgets everything counted so far (a load run starts from zero). */
  reset(): void {
    const fresh = new UsageRecorder();
    this.#from = new Date();
    this.#functions = new Map();
    this.#seenRequestIds = new Set();
    this.#api = fresh.#api;
    this.#sqs = fresh.#sqs;
    this.#sns = fresh.#sns;
    this.#tables = new Map();
    this.#ses = fresh.#ses;
    this.#s3 = fresh.#s3;
    this.#requests = {};
    this.#excluded = 0;
  }
}
