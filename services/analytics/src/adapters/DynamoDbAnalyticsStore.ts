import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AnalyticsAggregate,
  type AnalyticsFact,
  type AnalyticsSummary,
  type FactStore,
  type RollUpCheckpoint,
  type RollUpStep,
  type RollUpStore,
  type SummaryStore,
  summaryOf,
} from '@shop/analytics-domain';

/** The sparse index of facts no roll-up has folded yet; serverless.yml declares it. */
export const PENDING_FACTS_INDEX = 'pendingFacts';

/**
 * Facts, the roll-up's checkpoint and the orders it counted, in one table with string keys
 * `pk`/`sk`:
 *
 * | item              | pk                  | sk                  |
 * |-------------------|---------------------|---------------------|
 * | stock change      | `PRODUCT#<product>` | `STOCK#<eventId>`   |
 * | sale              | `PRODUCT#<product>` | `SALE#<orderId>`    |
 * | cancellation      | `ORDER#<orderId>`   | `OUTCOME`           |
 * | confirmed order   | `ORDER#<orderId>`   | `CONFIRMED`         |
 * | checkpoint        | `SUMMARY`           | `LATEST`            |
 *
 * A fact's key is its identity (see `factKey`), so writing it only if absent makes a redelivered
 * event a no-op. The stock key holds the event id and not the time: an event republished under
 * the same id may carry a new occurredAt, and must still be the same fact.
 *
 * A new fact carries `pending` until a roll-up has folded it; the sparse index on `pending` is
 * how a roll-up finds new facts without reading old ones. DynamoDB Local has no transactions
 * (dynalite), and Streams are not used, so a step is committed by one conditional write of the
 * checkpoint, which also lists the facts it folded and the orders it counted. Whoever next reads
 * that checkpoint first clears those marks and writes those orders (idempotent), and only then
 * looks for pending facts, confirming each on the table with a consistent read (the index is
 * eventually consistent). A fact is therefore folded once even when a roll-up dies between its
 * commit and its bookkeeping.
 *
 * @example
 * ```ts
 * const store = new DynamoDbAnalyticsStore(createDocumentClient(), requireEnv('FACTS_TABLE'));
 * await store.putIfAbsent(fact); // false when already recorded
 * ```
 */
export class DynamoDbAnalyticsStore implements FactStore, SummaryStore, RollUpStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(fact: AnalyticsFact): Promise<boolean> {
    return this.#unlessConditionFails(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...toFactItem(fact), pending: PENDING },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async latest(): Promise<AnalyticsSummary | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: CHECKPOINT_KEY }),
    );
    if (!Item) return undefined;
    const item = Item as CheckpointItem | LegacySummaryItem;
    // Until the first incremental roll-up replaces it, the full-scan roll-up's summary is served.
    if ('summary' in item) return item.summary;
    return summaryOf(item.aggregate, new Date(item.generatedAt));
  }

  async checkpoint(): Promise<RollUpCheckpoint | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: CHECKPOINT_KEY, ConsistentRead: true }),
    );
    if (!Item || !('version' in Item)) return undefined;
    const item = Item as CheckpointItem;
    await Promise.all([
      ...item.lastFolded.map((key) => this.#clearPendingMark(key)),
      this.rememberConfirmedOrders(item.lastConfirmedOrderIds),
    ]);
    return { version: item.version, aggregate: item.aggregate };
  }

  async *settledFacts(): AsyncIterable<AnalyticsFact[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.documentClient.send(
        new ScanCommand({
          TableName: this.tableName,
          // Facts only (not the checkpoint, nor confirmed orders), and not the pending ones.
          FilterExpression:
            '#kind IN (:sale, :stockChange, :cancellation) AND attribute_not_exists(#pending)',
          ExpressionAttributeNames: { '#kind': 'kind', '#pending': 'pending' },
          ExpressionAttributeValues: {
            ':sale': 'SALE',
            ':stockChange': 'STOCK_CHANGE',
            ':cancellation': 'CANCELLATION',
          },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      yield Items.map(fromFactItem);
      startKey = LastEvaluatedKey;
    } while (startKey);
  }

  async pendingFacts(limit: number): Promise<AnalyticsFact[]> {
    const { Items = [] } = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_FACTS_INDEX,
        KeyConditionExpression: '#pending = :pending',
        ExpressionAttributeNames: { '#pending': 'pending' },
        ExpressionAttributeValues: { ':pending': PENDING },
        Limit: Math.min(limit, BATCH_GET_LIMIT),
      }),
    );
    const keys = Items.map(({ pk, sk }) => ({ pk, sk }) as ItemKey);
    // The index lags the table: keep only what the table itself still marks pending.
    const items = await this.#getConsistently(keys);
    return items.filter((item) => item.pending === PENDING).map(fromFactItem);
  }

  async confirmedOrdersAmong(orderIds: readonly string[]): Promise<Set<string>> {
    const items = await this.#getConsistently(orderIds.map(confirmedOrderKey), 'pk');
    return new Set(items.map((item) => String(item.pk).slice(ORDER_PREFIX.length)));
  }

  async rememberConfirmedOrders(orderIds: readonly string[]): Promise<void> {
    for (let start = 0; start < orderIds.length; start += BATCH_WRITE_LIMIT) {
      let requests: { PutRequest: { Item: Record<string, unknown> } }[] = orderIds
        .slice(start, start + BATCH_WRITE_LIMIT)
        .map((orderId) => ({
          PutRequest: { Item: { ...confirmedOrderKey(orderId), kind: 'CONFIRMED_ORDER' } },
        }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await this.documentClient.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  async commit(step: RollUpStep): Promise<boolean> {
    const item: CheckpointItem = {
      ...CHECKPOINT_KEY,
      kind: 'SUMMARY',
      version: (step.previousVersion ?? 0) + 1,
      generatedAt: step.generatedAt.toISOString(),
      aggregate: step.aggregate,
      lastFolded: step.folded.map(factItemKey),
      lastConfirmedOrderIds: step.confirmedOrderIds,
    };
    return this.#unlessConditionFails(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ...(step.previousVersion === undefined
          ? // The first build replaces the full-scan roll-up's summary, which has no version.
            { ConditionExpression: 'attribute_not_exists(version)' }
          : {
              ConditionExpression: 'version = :previous',
              ExpressionAttributeValues: { ':previous': step.previousVersion },
            }),
      }),
    );
  }

  async #clearPendingMark(key: ItemKey): Promise<void> {
    await this.#unlessConditionFails(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'REMOVE #pending',
        // Never creates an item; facts are not deleted, so this only guards against a bad key.
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#pending': 'pending' },
      }),
    );
  }

  /** Strongly consistent BatchGetItem of any number of keys, retrying unprocessed ones. */
  async #getConsistently(
    keys: readonly ItemKey[],
    projection?: string,
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      let pending: Record<string, unknown>[] = keys
        .slice(start, start + BATCH_GET_LIMIT)
        .map((key) => ({ ...key }));
      while (pending.length > 0) {
        const { Responses, UnprocessedKeys } = await this.documentClient.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ConsistentRead: true,
                ...(projection ? { ProjectionExpression: projection } : {}),
              },
            },
          }),
        );
        found.push(...(Responses?.[this.tableName] ?? []));
        pending = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  /** True when written; false when the condition kept what is stored. */
  async #unlessConditionFails(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      await (command instanceof PutCommand
        ? this.documentClient.send(command)
        : this.documentClient.send(command));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

// The one place where facts, orders and checkpoints become table items and back.

/** DynamoDB's caps per BatchGetItem and per BatchWriteItem. */
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;

/**
 * The one value of `pending`: the index then has a single partition, which takes ~1,000 new facts
 * a second; beyond that, spread it over a few values and query each.
 */
const PENDING = 'PENDING';
const ORDER_PREFIX = 'ORDER#';

interface ItemKey {
  pk: string;
  sk: string;
}

type FactItem = ItemKey & AnalyticsFact & { pending?: string };

interface CheckpointItem extends ItemKey {
  kind: 'SUMMARY';
  version: number;
  generatedAt: string;
  aggregate: AnalyticsAggregate;
  /** Facts this version folded in, whose pending marks the next reader clears. */
  lastFolded: ItemKey[];
  /** Orders this version counted, which the next reader writes as confirmed-order items. */
  lastConfirmedOrderIds: string[];
}

/** What the full-scan roll-up stored, before this version. */
interface LegacySummaryItem extends ItemKey {
  kind: 'SUMMARY';
  generatedAt: string;
  summary: AnalyticsSummary;
}

const CHECKPOINT_KEY: ItemKey = { pk: 'SUMMARY', sk: 'LATEST' };

function confirmedOrderKey(orderId: string): ItemKey {
  return { pk: `${ORDER_PREFIX}${orderId}`, sk: 'CONFIRMED' };
}

function factItemKey(fact: AnalyticsFact): ItemKey {
  switch (fact.kind) {
    case 'STOCK_CHANGE':
      return { pk: `PRODUCT#${fact.productId}`, sk: `STOCK#${fact.eventId}` };
    case 'SALE':
      return { pk: `PRODUCT#${fact.productId}`, sk: `SALE#${fact.orderId}` };
    case 'CANCELLATION':
      return { pk: `${ORDER_PREFIX}${fact.orderId}`, sk: 'OUTCOME' };
  }
}

function toFactItem(fact: AnalyticsFact): FactItem {
  return { ...factItemKey(fact), ...fact };
}

function fromFactItem(item: Record<string, unknown>): AnalyticsFact {
  const { pk: _pk, sk: _sk, pending: _pending, ...fact } = item as unknown as FactItem;
  return fact as AnalyticsFact;
}
