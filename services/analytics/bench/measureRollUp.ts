import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type AnalyticsFact, rollUp, summarize } from '@shop/analytics-domain';
import { createDocumentClient } from '@shop/aws-adapters';
import { DynamoDbAnalyticsStore } from '../src/adapters/DynamoDbAnalyticsStore';
import { meterCapacity } from '../tests/helpers/capacityMeter';

// One roll-up in a process of its own, so its peak RSS is its own, as in a Lambda sandbox.
// Usage: measureRollUp.ts <full-scan|incremental> <endpoint> <table>; prints one JSON line.

const [mode, endpoint, tableName] = process.argv.slice(2);
if (!mode || !endpoint || !tableName) throw new Error('usage: <mode> <endpoint> <table>');

const client = new DynamoDBClient({
  endpoint,
  region: 'eu-west-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});
const meter = meterCapacity(client);
const documentClient = createDocumentClient({ client });

/**
 * The roll-up as it was before it became incremental, kept here only for comparison: scan every
 * fact, summarize them all, store the summary.
 */
async function fullScanRollUp(now: Date) {
  const facts: AnalyticsFact[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await documentClient.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#kind IN (:sale, :stockChange, :cancellation)',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':sale': 'SALE',
          ':stockChange': 'STOCK_CHANGE',
          ':cancellation': 'CANCELLATION',
        },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const { pk: _pk, sk: _sk, pending: _pending, ...fact } of Items) {
      facts.push(fact as AnalyticsFact);
    }
    startKey = LastEvaluatedKey;
  } while (startKey);
  const summary = summarize(facts, now);
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      // Not the checkpoint's key: the incremental runs on the same table must not see it.
      Item: { pk: 'BENCH', sk: 'FULL_SCAN_SUMMARY', generatedAt: summary.generatedAt, summary },
    }),
  );
  return { folded: facts.length, built: false };
}

async function main() {
  const store = new DynamoDbAnalyticsStore(documentClient, tableName as string);
  const started = performance.now();
  const result =
    mode === 'full-scan'
      ? await fullScanRollUp(new Date())
      : await rollUp({ rollUps: store }, new Date(), { maxSteps: 1_000 });
  const ms = performance.now() - started;
  const { readUnits, writeUnits, requests } = meter.take();
  process.stdout.write(
    `${JSON.stringify({
      ms,
      readUnits,
      writeUnits,
      requests,
      // resourceUsage's maxRSS is in KiB.
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      folded: result.folded,
      built: result.built,
    })}\n`,
  );
  client.destroy();
}

void main();
