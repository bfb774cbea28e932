import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { UsageSnapshot } from '@shop/local-cloud';
import {
  cpuBoundMs,
  DEFAULT_ASSUMPTIONS,
  estimateCost,
  lambdaCost,
  withoutObserver,
} from '../../src/cost/costModel';
import {
  functionsOfTemplate,
  type PackagedFunction,
  scheduledInvocationsPerMonth,
} from '../../src/cost/packagedFunctions';
import prices from '../../src/cost/prices-eu-west-1-2026-11-28.json';

const emptyUsage = (): UsageSnapshot => ({
  from: '2026-11-28T00:00:00.000Z',
  to: '2026-11-28T00:01:00.000Z',
  functions: [],
  apiGateway: { requests: 0, billedRequests: 0, byRoute: {} },
  sqs: {
    billedRequests: 0,
    receives: 0,
    emptyReceives: 0,
    messagesReceived: 0,
    firstReceives: 0,
    byAction: {},
  },
  sns: { billedRequests: 0, messagesPublished: 0, byAction: {} },
  dynamodb: { tables: [] },
  ses: { emails: 0 },
  s3: { tier1: 0, tier2: 0, free: 0 },
  requests: [],
  excludedRequests: 0,
});

const createOrder: PackagedFunction = {
  service: 'order',
  name: 'shop-order-local-createOrder',
  memoryMb: 1024,
  architecture: 'arm64',
  triggers: ['http'],
  scheduledPerMonth: 0,
};

const costOf = (estimate: ReturnType<typeof estimateCost>, item: string) =>
  estimate.lines.find((line) => line.item.startsWith(item));

describe('Function: lambdaCost / cpuBoundMs', () => {
  it('prices requests and GB-seconds', () => {
    // 1M × 100 ms × 1 GB = 100,000 GB-s × $0.0000133334 = $1.33334, plus $0.20 of requests.
    expect(lambdaCost(1_000_000, 100, 1024, prices.lambda)).toBeCloseTo(1.53334, 5);
    // Half the memory, half the GB-seconds.
    expect(lambdaCost(1_000_000, 100, 512, prices.lambda)).toBeCloseTo(0.86667, 5);
  });

  it('stretches CPU-bound durations below 1769 MB only', () => {
    expect(cpuBoundMs(100, 1769)).toBe(100);
    expect(cpuBoundMs(100, 2048)).toBe(100);
    expect(cpuBoundMs(100, 256)).toBeCloseTo(691.02, 2);
  });
});

describe('Function: estimateCost', () => {
  // Two orders: two createOrder invocations of 100 and 300 ms at 1024 MB, two API requests,
  // four SNS publishes, 11 SQS requests of which 5 were local idle polls, 10 reads and
  // 6 + 2 writes, 2 emails, one S3 PUT.
  const usage: UsageSnapshot = {
    ...emptyUsage(),
    functions: [
      {
        name: 'createOrder',
        service: 'order',
        invocations: 2,
        billedMs: [100, 300],
        source: 'offline-log',
      },
    ],
    apiGateway: { requests: 2, billedRequests: 2, byRoute: { 'POST /orders': 2 } },
    sns: { billedRequests: 4, messagesPublished: 4, byAction: { Publish: 4 } },
    sqs: { ...emptyUsage().sqs, billedRequests: 11, emptyReceives: 5, firstReceives: 3 },
    dynamodb: {
      tables: [
        {
          table: 'orders',
          caller: 'shop-order-local-createOrder',
          requests: 4,
          readUnits: 10,
          writeUnits: 6,
          indexWriteUnits: 2,
        },
      ],
    },
    ses: { emails: 2 },
    s3: { tier1: 1, tier2: 0, free: 0 },
  };

  it('prices 1,000 orders from the usage of a few', () => {
    // Act
    const estimate = estimateCost(usage, 2, [createOrder], prices);

    // Assess: per 1,000 orders, by hand.
    // Lambda: 1,000 requests → $0.0002; 400 ms × 1 GB per 2 orders → 200 GB-s → $0.00266668.
    expect(costOf(estimate, 'requests')?.costPerThousandOrders).toBeCloseTo(0.0002, 10);
    expect(costOf(estimate, 'GB-seconds')?.perThousandOrders).toBeCloseTo(200, 10);
    expect(costOf(estimate, 'GB-seconds')?.costPerThousandOrders).toBeCloseTo(0.00266668, 10);
    // API Gateway: 1,000 requests × $1.11/M.
    expect(costOf(estimate, 'HTTP API')?.costPerThousandOrders).toBeCloseTo(0.00111, 10);
    // SNS: 2,000 publishes × $0.50/M; deliveries are free.
    expect(costOf(estimate, 'publishes')?.costPerThousandOrders).toBeCloseTo(0.001, 10);
    expect(costOf(estimate, 'deliveries')?.perThousandOrders).toBe(1500);
    expect(costOf(estimate, 'deliveries')?.costPerThousandOrders).toBe(0);
    // SQS: (11 − 5 idle) / 2 × 1,000 = 3,000 requests × $0.40/M.
    expect(costOf(estimate, 'requests (64 KB')?.costPerThousandOrders).toBeCloseTo(0.0012, 10);
    // DynamoDB: 5,000 RRU × $0.1415/M; (6 + 2) / 2 × 1,000 = 4,000 WRU × $0.705/M.
    expect(costOf(estimate, 'read request units')?.costPerThousandOrders).toBeCloseTo(
      0.0007075,
      10,
    );
    expect(costOf(estimate, 'write request units')?.costPerThousandOrders).toBeCloseTo(0.00282, 10);
    // SES: 1,000 emails × $0.10/1,000; S3: 500 PUTs × $0.005/1,000.
    expect(costOf(estimate, 'emails')?.costPerThousandOrders).toBeCloseTo(0.1, 10);
    expect(costOf(estimate, 'PUT/COPY')?.costPerThousandOrders).toBeCloseTo(0.0025, 10);
    // The sum of the lines above.
    expect(estimate.perThousandOrders).toBeCloseTo(
      0.0002 + 0.00266668 + 0.00111 + 0.001 + 0.0012 + 0.0007075 + 0.00282 + 0.1 + 0.0025,
      10,
    );
  });

  it('scales to a month and adds idle polling and schedules', () => {
    // Prepare: a consumer with an SQS mapping and a sweeper every minute, both 256 MB.
    const consumer = { ...createOrder, name: 'c', memoryMb: 256, triggers: ['queue' as const] };
    const sweeper = {
      ...createOrder,
      name: 's',
      memoryMb: 256,
      triggers: ['schedule' as const],
      scheduledPerMonth: 43_200,
    };

    // Act
    const estimate = estimateCost(usage, 2, [createOrder, consumer, sweeper], prices, {
      ...DEFAULT_ASSUMPTIONS,
      ordersPerDay: 1000,
    });

    // Assess: 30,000 orders a month, 30 times the cost of 1,000.
    expect(estimate.monthly.variable).toBeCloseTo(estimate.perThousandOrders * 30, 10);
    // One mapping × 5 pollers × 2,592,000 s / 20 s = 648,000 receives × $0.40/M = $0.2592.
    expect(estimate.fixed[0]).toMatchObject({ monthly: 648_000 });
    expect(estimate.fixed[0]?.monthlyCost).toBeCloseTo(0.2592, 10);
    // 43,200 × ($0.20/M + 0.1 s × 0.25 GB × $0.0000133334) = 0.00864 + 0.01440007.
    expect(estimate.fixed[1]?.monthlyCost).toBeCloseTo(0.02304007, 8);
    expect(estimate.monthly.total).toBeCloseTo(estimate.monthly.variable + 0.2592 + 0.02304007, 8);
  });

  it('recommends the smallest memory whose CPU-bound median fits the budget', () => {
    const [row] = estimateCost(usage, 2, [createOrder], prices).functions;

    // Median 100 ms (nearest rank): at 512 MB CPU-bound 346 ms > 200 ms; at 1024 MB 173 ms.
    expect(row?.medianMs).toBe(100);
    expect(row?.memory.find((m) => m.memoryMb === 512)?.cpuMedianMs).toBe(346);
    expect(row?.recommendedMb).toBe(1024);
    expect(row?.recommendation).toBe('keep 1024 MB');
    const fast = { name: 'createOrder', service: 'order', invocations: 2, billedMs: [20, 20] };
    const [small] = estimateCost(
      { ...usage, functions: [{ ...fast, source: 'offline-log' }] },
      2,
      [createOrder],
      prices,
    ).functions;
    // 20 ms × 1769 / 256 = 138.2 ms ≤ 200 ms; at 128 MB 276.4 ms is over.
    expect(small?.recommendedMb).toBe(256);
    expect(small?.recommendation).toMatch(/^try 256 MB: −75% if I\/O-bound/);
    // 120 ms at 256 MB: 829.2 ms if CPU-bound, over 200 ms up to 1769 MB.
    const slow = { ...fast, billedMs: [120, 120], source: 'offline-log' as const };
    const [big] = estimateCost(
      { ...usage, functions: [slow] },
      2,
      [{ ...createOrder, memoryMb: 256 }],
      prices,
    ).functions;
    expect(big?.recommendedMb).toBe(1769);
    expect(big?.recommendation).toBe(
      'keep 256 MB if I/O-bound; 1769 MB if CPU-bound (median up to 830 ms at 256 MB > 200 ms)',
    );
  });

  it('refuses to divide by no orders', () => {
    expect(() => estimateCost(usage, 0, [], prices)).toThrow(/orders must be positive/);
  });
});

describe('Function: withoutObserver', () => {
  it('leaves out the routes, invocations and units of the functions that only watched', () => {
    const usage: UsageSnapshot = {
      ...emptyUsage(),
      functions: [
        {
          name: 'getOrder',
          service: 'order',
          invocations: 40,
          billedMs: [5],
          source: 'offline-log',
        },
        {
          name: 'createOrder',
          service: 'order',
          invocations: 2,
          billedMs: [50],
          source: 'offline-log',
        },
      ],
      apiGateway: {
        requests: 42,
        billedRequests: 42,
        byRoute: { 'GET /orders/{id}': 40, 'POST /orders': 2 },
      },
      dynamodb: {
        tables: [
          {
            table: 'orders',
            caller: 'shop-order-local-getOrder',
            requests: 40,
            readUnits: 20,
            writeUnits: 0,
            indexWriteUnits: 0,
          },
          {
            table: 'orders',
            caller: 'shop-order-local-createOrder',
            requests: 2,
            readUnits: 0,
            writeUnits: 4,
            indexWriteUnits: 0,
          },
        ],
      },
    };

    const left = withoutObserver(usage, { routes: ['GET /orders/{id}'], functions: ['getOrder'] });

    expect(left.functions.map((fn) => fn.name)).toEqual(['createOrder']);
    expect(left.apiGateway).toEqual({
      requests: 2,
      billedRequests: 2,
      byRoute: { 'POST /orders': 2 },
    });
    expect(left.dynamodb.tables.map((t) => t.caller)).toEqual(['shop-order-local-createOrder']);
  });
});

describe('Function: functionsOfTemplate', () => {
  it('reads memory, architecture and triggers from the packaged template', () => {
    const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
    const functions = functionsOfTemplate('order', {
      CreateOrderLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'shop-order-local-createOrder',
          MemorySize: 256,
          Architectures: ['arm64'],
        },
      },
      SweepLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: 'shop-order-local-sweep', MemorySize: 128 },
      },
      CreateOrderLambdaPermissionHttpApi: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: getAtt('CreateOrderLambdaFunction'),
          Principal: 'apigateway.amazonaws.com',
        },
      },
      SweepRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          ScheduleExpression: 'rate(1 minute)',
          Targets: [{ Arn: getAtt('SweepLambdaFunction') }],
        },
      },
    });

    expect(functions).toEqual([
      {
        service: 'order',
        name: 'shop-order-local-createOrder',
        memoryMb: 256,
        architecture: 'arm64',
        triggers: ['http'],
        scheduledPerMonth: 0,
      },
      {
        service: 'order',
        name: 'shop-order-local-sweep',
        memoryMb: 128,
        architecture: 'x86_64',
        triggers: ['schedule'],
        scheduledPerMonth: 43_200,
      },
    ]);
    expect(scheduledInvocationsPerMonth('rate(2 hours)')).toBe(360);
    expect(scheduledInvocationsPerMonth('cron(0 12 * * ? *)')).toBe(0);
  });
});

describe('Command: pnpm cost --help', () => {
  it('prints its usage and exits 0', async () => {
    const packageDir = join(__dirname, '..', '..');
    const { stdout } = await promisify(execFile)(
      join(packageDir, 'node_modules', '.bin', 'tsx'),
      ['bin/cost.ts', '--help'],
      { cwd: packageDir },
    );
    expect(stdout).toMatch(/^pnpm cost \[options\]/);
    expect(stdout).toContain('--json');
  }, 30_000);
});
