import type { FunctionUsage, UsageSnapshot } from '@shop/local-cloud';
import type { PackagedFunction } from './packagedFunctions';
import type prices from './prices-eu-west-1-2026-11-28.json';
import type { Observer } from './savedUsage';

export type Prices = typeof prices;

/** What the estimate assumes beyond what was measured; each is printed with the result. */
export interface CostAssumptions {
  ordersPerDay: number;
  daysPerMonth: number;
  /** Lambda's pollers per SQS event source mapping while the queue is idle. */
  pollersPerQueue: number;
  /** Their long-poll wait: each idle poller makes one ReceiveMessage per this many seconds. */
  longPollSeconds: number;
  /** Billed duration of a scheduled invocation (the local cloud runs no schedules to measure). */
  scheduledDurationMs: number;
  /** Latency a function's median may reach at a smaller memory size, by trigger (ms). */
  latencyBudgetMs: { http: number; other: number };
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  ordersPerDay: 1000,
  daysPerMonth: 30,
  pollersPerQueue: 5,
  longPollSeconds: 20,
  scheduledDurationMs: 100,
  latencyBudgetMs: { http: 200, other: 1000 },
};

/** One billed dimension: how much of it 1,000 orders use, and what that costs. */
export interface CostLine {
  service: string;
  item: string;
  perThousandOrders: number;
  costPerThousandOrders: number;
  monthly: number;
  monthlyCost: number;
}

/** A cost that does not grow with orders (idle polling, schedules), a month of it. */
export interface FixedCostLine {
  item: string;
  monthly: number;
  monthlyCost: number;
}

export interface FunctionCostRow {
  name: string;
  service: string;
  memoryMb: number;
  invocationsPerOrder: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
  costPerThousandOrders: number;
  /** Duration and cost at each memory size; `cpu*` if the work is CPU-bound, `io*` if it waits. */
  memory: {
    memoryMb: number;
    ioMedianMs: number;
    cpuMedianMs: number;
    ioCostPerThousandOrders: number;
    cpuCostPerThousandOrders: number;
  }[];
  recommendedMb: number;
  recommendation: string;
}

export interface CostEstimate {
  orders: number;
  assumptions: CostAssumptions;
  pricesAsOf: string;
  lines: CostLine[];
  fixed: FixedCostLine[];
  perThousandOrders: number;
  monthly: { variable: number; fixed: number; total: number };
  functions: FunctionCostRow[];
  /** Measured functions no packaged template declares (priced at 128 MB). */
  unmatched: string[];
  notes: string[];
}

/** Memory sizes of the memory table; 1769 MB is where a function gets one full vCPU. */
export const MEMORY_SIZES_MB = [128, 256, 512, 1024, 1769, 2048];
const FULL_VCPU_MB = 1769;

/**
 * A duration measured with a full CPU, at `memoryMb`: unchanged if the work waits on I/O,
 * stretched by the CPU share Lambda gives below 1769 MB if it computes.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 *
 * @example
 * cpuBoundMs(100, 256); // ≈ 691
 */
export function cpuBoundMs(fullCpuMs: number, memoryMb: number): number {
  return fullCpuMs * Math.max(1, FULL_VCPU_MB / memoryMb);
}

/**
 * Lambda's price of invocations: requests plus GB-seconds of billed duration.
 *
 * @example
 * lambdaCost(1_000_000, 100, 1024, prices.lambda); // 0.2 + 100,000 GB-s × 0.0000133334 ≈ 1.533
 */
export function lambdaCost(
  invocations: number,
  billedMsEach: number,
  memoryMb: number,
  price: Prices['lambda'],
): number {
  const gbSeconds = invocations * (billedMsEach / 1000) * (memoryMb / 1024);
  return (invocations / 1e6) * price.perMillionRequests + gbSeconds * price.perGbSecond;
}

/** The `q`-quantile (0–1) of some numbers, nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  ] as number;
}

/**
 * The usage without what an observer caused: its routes' requests, its functions' invocations and
 * their DynamoDB units (they publish nothing). A load tool polling an order's status is not
 * what an order costs.
 */
export function withoutObserver(usage: UsageSnapshot, observer: Observer): UsageSnapshot {
  const observed = (name: string) =>
    observer.functions.some((key) => name === key || name.endsWith(`-${key}`));
  const observedRequests = observer.routes.reduce(
    (sum, route) => sum + (usage.apiGateway.byRoute[route] ?? 0),
    0,
  );
  return {
    ...usage,
    functions: usage.functions.filter((fn) => !observed(fn.name)),
    apiGateway: {
      requests: usage.apiGateway.requests - observedRequests,
      billedRequests: usage.apiGateway.billedRequests - observedRequests,
      byRoute: Object.fromEntries(
        Object.entries(usage.apiGateway.byRoute).filter(
          ([route]) => !observer.routes.includes(route),
        ),
      ),
    },
    dynamodb: { tables: usage.dynamodb.tables.filter((table) => !observed(table.caller)) },
    requests: usage.requests.filter((request) => !observed(request.caller)),
  };
}

/** The packaged function a measured one is: by deployed name, or by service and key. */
function packagedOf(measured: FunctionUsage, functions: PackagedFunction[]) {
  return functions.find(
    (fn) =>
      fn.name === measured.name ||
      (fn.service === measured.service && fn.name.endsWith(`-${measured.name}`)),
  );
}

function functionRow(
  measured: FunctionUsage,
  packaged: PackagedFunction | undefined,
  orders: number,
  prices: Prices,
  assumptions: CostAssumptions,
): FunctionCostRow {
  const memoryMb = packaged?.memoryMb ?? 128;
  const totalMs = measured.billedMs.reduce((sum, ms) => sum + ms, 0);
  const meanMs = measured.billedMs.length ? totalMs / measured.billedMs.length : 0;
  const medianMs = quantile(measured.billedMs, 0.5);
  const perThousand = (measured.invocations / orders) * 1000;
  const memory = MEMORY_SIZES_MB.map((size) => ({
    memoryMb: size,
    ioMedianMs: medianMs,
    cpuMedianMs: Math.ceil(cpuBoundMs(medianMs, size)),
    ioCostPerThousandOrders: lambdaCost(perThousand, meanMs, size, prices.lambda),
    cpuCostPerThousandOrders: lambdaCost(
      perThousand,
      cpuBoundMs(meanMs, size),
      size,
      prices.lambda,
    ),
  }));
  const budget = packaged?.triggers.includes('http')
    ? assumptions.latencyBudgetMs.http
    : assumptions.latencyBudgetMs.other;
  // Below 1769 MB a CPU-bound function costs the same at any size and an I/O-bound one less at a
  // smaller size: the smallest size whose CPU-bound median fits the budget is the cheapest safe one.
  const recommendedMb = memory.find((row) => row.cpuMedianMs <= budget)?.memoryMb ?? FULL_VCPU_MB;
  // A local measurement cannot tell waiting from computing: say what each would mean.
  const cpuAtConfigured = Math.ceil(cpuBoundMs(medianMs, memoryMb));
  const recommendation =
    recommendedMb < memoryMb
      ? `try ${recommendedMb} MB: −${Math.round((1 - recommendedMb / memoryMb) * 100)}% if I/O-bound, median ≤ ${budget} ms even if CPU-bound`
      : recommendedMb > memoryMb
        ? `keep ${memoryMb} MB if I/O-bound; ${recommendedMb} MB if CPU-bound (median up to ${cpuAtConfigured} ms at ${memoryMb} MB > ${budget} ms)`
        : `keep ${memoryMb} MB`;
  return {
    name: packaged?.name ?? measured.name,
    service: packaged?.service ?? measured.service ?? '?',
    memoryMb,
    invocationsPerOrder: measured.invocations / orders,
    medianMs,
    p95Ms: quantile(measured.billedMs, 0.95),
    meanMs,
    costPerThousandOrders: lambdaCost(perThousand, meanMs, memoryMb, prices.lambda),
    memory,
    recommendedMb,
    recommendation,
  };
}

/**
 * What 1,000 orders and a month of orders cost on AWS, from the usage a load run of `orders`
 * orders caused (counted by the local cloud) and the memory sizes of the packaged templates.
 *
 * Steps: 1. price each function's invocations at its memory size; 2. price the other services'
 * billed units per 1,000 orders; 3. scale to a month at `ordersPerDay`; 4. add what costs the
 * same every month whatever the orders (idle SQS long polls of Lambda's pollers, schedules).
 */
export function estimateCost(
  usage: UsageSnapshot,
  orders: number,
  functions: PackagedFunction[],
  prices: Prices,
  assumptions: CostAssumptions = DEFAULT_ASSUMPTIONS,
): CostEstimate {
  if (orders <= 0) throw new Error('orders must be positive: the usage is divided by it');
  const perThousand = (quantity: number) => (quantity / orders) * 1000;
  const ordersPerMonth = assumptions.ordersPerDay * assumptions.daysPerMonth;
  const line = (
    service: string,
    item: string,
    quantity: number,
    pricePerUnit: number,
  ): CostLine => ({
    service,
    item,
    perThousandOrders: perThousand(quantity),
    costPerThousandOrders: perThousand(quantity) * pricePerUnit,
    monthly: (quantity / orders) * ordersPerMonth,
    monthlyCost: (quantity / orders) * ordersPerMonth * pricePerUnit,
  });
  // 1. Functions.
  const rows = usage.functions.map((measured) =>
    functionRow(measured, packagedOf(measured, functions), orders, prices, assumptions),
  );
  const unmatched = usage.functions
    .filter((measured) => !packagedOf(measured, functions))
    .map((measured) => measured.name);
  const invocations = usage.functions.reduce((sum, f) => sum + f.invocations, 0);
  const gbSeconds = usage.functions.reduce((sum, measured) => {
    const memoryMb = packagedOf(measured, functions)?.memoryMb ?? 128;
    const totalMs = measured.billedMs.reduce((s, ms) => s + ms, 0);
    // Durations beyond the samples kept are priced at the mean of those kept.
    const scale = measured.billedMs.length ? measured.invocations / measured.billedMs.length : 0;
    return sum + (totalMs * scale * memoryMb) / 1024 / 1000;
  }, 0);
  // 2. Everything else, in each service's billed unit.
  const tables = usage.dynamodb.tables;
  const lines: CostLine[] = [
    line('Lambda', 'requests', invocations, prices.lambda.perMillionRequests / 1e6),
    line(
      'Lambda',
      `GB-seconds (${prices.lambda.architecture})`,
      gbSeconds,
      prices.lambda.perGbSecond,
    ),
    line(
      'API Gateway',
      'HTTP API requests',
      usage.apiGateway.billedRequests,
      prices.apiGatewayHttp.perMillionRequests / 1e6,
    ),
    line(
      'SNS',
      'publishes (64 KB chunks)',
      usage.sns.billedRequests,
      prices.sns.perMillionPublishes / 1e6,
    ),
    line(
      'SNS',
      'deliveries to SQS',
      usage.sqs.firstReceives,
      prices.sns.perMillionSqsDeliveries / 1e6,
    ),
    line(
      'SQS',
      'requests (64 KB chunks; local idle polls excluded)',
      usage.sqs.billedRequests - usage.sqs.emptyReceives,
      prices.sqs.perMillionRequests / 1e6,
    ),
    line(
      'DynamoDB',
      'read request units',
      tables.reduce((sum, t) => sum + t.readUnits, 0),
      prices.dynamodb.perMillionReadUnits / 1e6,
    ),
    line(
      'DynamoDB',
      'write request units (indexes included)',
      tables.reduce((sum, t) => sum + t.writeUnits + t.indexWriteUnits, 0),
      prices.dynamodb.perMillionWriteUnits / 1e6,
    ),
    line('SES', 'emails (recipients)', usage.ses.emails, prices.ses.perThousandEmails / 1000),
    line(
      'S3',
      'PUT/COPY/POST/LIST requests',
      usage.s3.tier1,
      prices.s3.perThousandTier1Requests / 1000,
    ),
    line('S3', 'GET/HEAD requests', usage.s3.tier2, prices.s3.perThousandTier2Requests / 1000),
  ];
  // 4. Fixed: idle long polls of every queue a function consumes, and scheduled invocations.
  const queueMappings = functions.filter((fn) => fn.triggers.includes('queue')).length;
  const secondsPerMonth = assumptions.daysPerMonth * 86_400;
  const idlePolls =
    (queueMappings * assumptions.pollersPerQueue * secondsPerMonth) / assumptions.longPollSeconds;
  const fixed: FixedCostLine[] = [
    {
      item: `SQS idle long polls (${queueMappings} mappings × ${assumptions.pollersPerQueue} pollers, ${assumptions.longPollSeconds} s)`,
      monthly: idlePolls,
      monthlyCost: (idlePolls / 1e6) * prices.sqs.perMillionRequests,
    },
    ...functions
      .filter((fn) => fn.scheduledPerMonth > 0)
      .map((fn) => ({
        item: `${fn.name} on its schedule (${assumptions.scheduledDurationMs} ms each, ${fn.memoryMb} MB)`,
        monthly: fn.scheduledPerMonth,
        monthlyCost: lambdaCost(
          fn.scheduledPerMonth,
          assumptions.scheduledDurationMs,
          fn.memoryMb,
          prices.lambda,
        ),
      })),
  ];
  // 3. Totals.
  const variable = lines.reduce((sum, l) => sum + l.monthlyCost, 0);
  const fixedTotal = fixed.reduce((sum, l) => sum + l.monthlyCost, 0);
  return {
    orders,
    assumptions,
    pricesAsOf: `${prices.region}, ${prices.asOf}`,
    lines,
    fixed,
    perThousandOrders: lines.reduce((sum, l) => sum + l.costPerThousandOrders, 0),
    monthly: { variable, fixed: fixedTotal, total: variable + fixedTotal },
    functions: rows.sort((a, b) => b.costPerThousandOrders - a.costPerThousandOrders),
    unmatched,
    notes: [
      `Prices: ${prices.caution}`,
      'Durations: serverless-offline times each handler on this machine, with a whole CPU and cold starts included; on Lambda below 1769 MB a CPU-bound handler runs slower by 1769/memory (the memory table shows both bounds).',
      `SQS: the local pollers long-poll idle queues every 2 s, Lambda's pollers every ${assumptions.longPollSeconds} s with about ${assumptions.pollersPerQueue} pollers per mapping: local empty receives are left out and Lambda's idle polls are a fixed monthly cost instead.`,
      'SNS → SQS deliveries carry no SNS delivery fee and are assumed to add no SQS request (only receives, deletes and sends are counted).',
      'DynamoDB units are counted from requests and answers by AWS rules (4 KB reads, 1 KB writes, larger of before/after, index writes, failed conditions), not from the emulator.',
      'API Gateway: requests refused by the authorizer or throttling are not counted. Not priced: free tiers, CloudWatch logs and metrics, data transfer, storage, KMS.',
    ],
  };
}
