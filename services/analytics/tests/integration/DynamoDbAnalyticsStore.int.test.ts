import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type AnalyticsFact, rollUp, summarize } from '@shop/analytics-domain';
import { createDocumentClient } from '@shop/aws-adapters';
import { type DynamoDbForTests, startDynamoDbForTests } from '@shop/local-cloud';
import { DynamoDbAnalyticsStore } from '../../src/adapters/DynamoDbAnalyticsStore';
import { type CapacityTally, meterCapacity } from '../helpers/capacityMeter';
import { createFactsTable, historicFact, seedSettledFacts } from '../helpers/factsTable';

// The incremental roll-up against DynamoDB's behaviour (dynalite, in this process, on a free
// 127.0.0.1 port), on the table serverless.yml declares: what a roll-up reads does not grow with
// history, and every fact counts once across steps, overlapping runs and unfinished bookkeeping.

let dynamoDb: DynamoDbForTests;
let client: DynamoDBClient;
let meter: { take(): CapacityTally };
let tables = 0;

beforeAll(async () => {
  dynamoDb = await startDynamoDbForTests();
  client = dynamoDb.client;
  meter = meterCapacity(client);
});

afterAll(() => dynamoDb?.stop());

/** A new facts table holding `history` facts as the full-scan version left them. */
async function storeWithHistory(history: number) {
  tables += 1;
  const tableName = `facts-int-${tables}`;
  await createFactsTable(client, tableName);
  const documentClient = createDocumentClient({ client });
  const facts = Array.from({ length: history }, (_, n) => historicFact(n));
  await seedSettledFacts(documentClient, tableName, facts);
  const store = new DynamoDbAnalyticsStore(documentClient, tableName);
  return { store, facts, deps: { rollUps: store }, documentClient, tableName };
}

/** `count` facts recorded after the deploy, as recordEvents records them. */
async function recordNew(store: DynamoDbAnalyticsStore, from: number, count: number) {
  const facts: AnalyticsFact[] = [];
  for (let n = from; n < from + count; n += 1) {
    const fact = historicFact(n);
    await store.putIfAbsent(fact);
    facts.push(fact);
  }
  return facts;
}

describe('Class: DynamoDbAnalyticsStore (on DynamoDB)', () => {
  it('reads as many units per roll-up with 10k facts of history as with 1k', async () => {
    const readUnits: Record<number, number> = {};
    const buildUnits: Record<number, number> = {};
    for (const history of [1_000, 10_000]) {
      // Prepare: the migration's one full read, then a roll-up to settle its step.
      const { store, deps, facts } = await storeWithHistory(history);
      meter.take();
      const build = await rollUp(deps, new Date('2026-11-27T10:00:00.000Z'));
      buildUnits[history] = meter.take().readUnits;
      expect(build.built).toBe(true);
      const recent = await recordNew(store, 20_000, 50);

      // Act
      meter.take();
      const result = await rollUp(deps, new Date('2026-11-27T10:01:00.000Z'));
      readUnits[history] = meter.take().readUnits;

      // Assess
      expect(result.folded).toBe(50);
      expect(result.summary).toEqual(
        summarize([...facts, ...recent], new Date('2026-11-27T10:01:00.000Z')),
      );
    }
    expect(readUnits[10_000]).toBe(readUnits[1_000]);
    // The one-time build does read all of history, which is what the old roll-up did each minute.
    expect(buildUnits[10_000]).toBeGreaterThan(5 * (buildUnits[1_000] ?? 0));
    expect(readUnits[10_000]).toBeLessThan(buildUnits[10_000] ?? 0);
  }, 120_000);

  it('counts every fact once across batches, overlapping runs and bookkeeping left to the next run', async () => {
    // Prepare
    const { store, deps, facts, documentClient, tableName } = await storeWithHistory(200);
    const now = new Date('2026-11-27T10:00:00.000Z');
    await rollUp(deps, now);
    const recorded: AnalyticsFact[] = [];

    // Act: rounds of new facts, each rolled up by three overlapping runs in small batches.
    for (let round = 0; round < 4; round += 1) {
      recorded.push(...(await recordNew(store, 1_000 + round * 30, 30)));
      await Promise.all(
        [1, 2, 3].map(() => rollUp(deps, now, { batchSize: 7, maxSteps: 3, maxConflicts: 10 })),
      );
    }
    recorded.push(...(await recordNew(store, 2_000, 5)));
    const { summary } = await rollUp(deps, now, { maxSteps: 100 });

    // Assess
    expect(summary).toEqual(summarize([...facts, ...recorded], now));
    // The last step's facts keep their mark until the next run's bookkeeping clears it.
    const { Items: marked = [] } = await documentClient.send(
      new ScanCommand({ TableName: tableName, FilterExpression: 'attribute_exists(pending)' }),
    );
    await rollUp(deps, now);
    const { Items: stillMarked = [] } = await documentClient.send(
      new ScanCommand({ TableName: tableName, FilterExpression: 'attribute_exists(pending)' }),
    );
    expect(marked).toHaveLength(5);
    expect(stillMarked).toEqual([]);
    expect((await store.latest())?.orders).toEqual(summary?.orders);
  }, 60_000);

  it('serves the summary the full-scan roll-up left until the first incremental one', async () => {
    const { store, documentClient, tableName } = await storeWithHistory(0);
    const legacy = summarize([historicFact(2)], new Date('2026-11-27T09:59:00.000Z'));
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: 'SUMMARY',
          sk: 'LATEST',
          kind: 'SUMMARY',
          generatedAt: legacy.generatedAt,
          summary: legacy,
        },
      }),
    );

    await expect(store.latest()).resolves.toEqual(legacy);
  });
});
