import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { findRepoRoot, LocalSignIn, startLocalCloud } from '@shop/local-cloud';
import { formatLoadReport, type LoadReport, runLoad } from '../src/loadRun';

/**
 * `pnpm load [--orders 200] [--concurrency 1,4,16]`: starts the local cloud on free ports, runs
 * the load at each concurrency, prints figures and invariants, stops. Exits 1 if an invariant
 * broke or an order was lost.
 */
async function main() {
  const { values } = parseArgs({
    // `pnpm load -- --orders 60` and `pnpm load --orders 60` both reach here; the first with a `--`.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      orders: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '1,4,16' },
    },
  });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const cloud = await startLocalCloud({ httpPort: 0, awsPort: 0 });
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: cloud.awsEndpoint,
      region: cloud.region,
      credentials: { accessKeyId: 'load', secretAccessKey: 'load' },
    }),
  );
  const identity = new LocalSignIn(cloud.awsEndpoint, cloud.region, cloud.stage, findRepoRoot());
  const target = {
    auth: async (email: string) => ({
      Authorization: `Bearer ${email === 'admin' ? await identity.adminToken() : await identity.token(email)}`,
    }),
    baseUrl: cloud.baseUrl,
    mailViewerUrl: cloud.mailViewerUrl,
    payment: async (orderId: string) =>
      (
        await dynamo.send(
          new GetCommand({
            TableName: `shop-payment-${cloud.stage}-payments`,
            Key: { orderId },
            ConsistentRead: true,
          }),
        )
      ).Item as { status: string } | undefined,
  };
  const reports: LoadReport[] = [];
  try {
    process.stdout.write(
      `local cloud ready in ${(cloud.startupMs / 1000).toFixed(1)} s; ${process.arch}, ${cpus().length} cores, Node ${process.version}\n`,
    );
    for (const concurrency of values.concurrency.split(',').map(Number)) {
      const report = await runLoad(target, { orders: Number(values.orders), concurrency });
      reports.push(report);
      process.stdout.write(`\n${formatLoadReport(report)}\n`);
    }
  } finally {
    await cloud.stop();
  }
  process.stdout.write(
    [
      '',
      '| concurrency | orders | orders/s | p50 ms | p95 ms | p99 ms | lost | invariants |',
      '|---|---|---|---|---|---|---|---|',
      ...reports.map(
        (r) =>
          `| ${r.concurrency} | ${r.orders} | ${r.ordersPerSecond.toFixed(1)} | ${r.latencyMs.p50} | ${r.latencyMs.p95} | ${r.latencyMs.p99} | ${r.lost} | ${r.violations.length === 0 ? 'hold' : `${r.violations.length} broken`} |`,
      ),
      '',
    ].join('\n'),
  );
  if (reports.some((r) => r.lost > 0 || r.violations.length > 0)) process.exitCode = 1;
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
