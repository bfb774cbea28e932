import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  AnalyticsFact,
  AnalyticsSummary,
  FactStore,
  SummaryStore,
} from '@shop/analytics-domain';

/**
 * Facts and the latest summary in one table with string keys `pk`/`sk`:
 *
 * | item              | pk                  | sk                  |
 * |-------------------|---------------------|---------------------|
 * | stock change      | `PRODUCT#<product>` | `STOCK#<eventId>`   |
 * | sale              | `PRODUCT#<product>` | `SALE#<orderId>`    |
 * | cancellation      | `ORDER#<orderId>`   | `OUTCOME`           |
 * | latest summary    | `SUMMARY`           | `LATEST`            |
 *
 * A fact's key is its identity (see `factKey`), so writing it only if absent makes a redelivered
 * event a no-op. The stock key holds the event id and not the time: an event republished under
 * the same id may carry a new occurredAt, and must still be the same fact.
 *
 * @example
 * ```ts
 * const store = new DynamoDbAnalyticsStore(createDocumentClient(), process.env.FACTS_TABLE);
 * await store.putIfAbsent(fact); // false when already recorded
 * ```
 */
export class DynamoDbAnalyticsStore implements FactStore, SummaryStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(fact: AnalyticsFact): Promise<boolean> {
    return this.#putUnlessConditionFails(
      new PutCommand({
        TableName: this.tableName,
        Item: toFactItem(fact),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Scans the whole table, page by page; the roll-up needs every fact. */
  async listAll(): Promise<AnalyticsFact[]> {
    const facts: AnalyticsFact[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.documentClient.send(
        new ScanCommand({
          TableName: this.tableName,
          // Facts only: not the summary, nor any item kind a later version may add.
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
      facts.push(...Items.map(fromFactItem));
      startKey = LastEvaluatedKey;
    } while (startKey);
    return facts;
  }

  async saveIfNewer(summary: AnalyticsSummary): Promise<boolean> {
    return this.#putUnlessConditionFails(
      new PutCommand({
        TableName: this.tableName,
        Item: toSummaryItem(summary),
        // ISO 8601 UTC strings compare as times do.
        ConditionExpression: 'attribute_not_exists(pk) OR generatedAt <= :generatedAt',
        ExpressionAttributeValues: { ':generatedAt': summary.generatedAt },
      }),
    );
  }

  async latest(): Promise<AnalyticsSummary | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: SUMMARY_KEY }),
    );
    return Item ? fromSummaryItem(Item) : undefined;
  }

  /** True when written; false when the condition kept what is stored. */
  async #putUnlessConditionFails(command: PutCommand): Promise<boolean> {
    try {
      await this.documentClient.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

// The one place where facts and summaries become table items and back.

interface ItemKey {
  pk: string;
  sk: string;
}

type FactItem = ItemKey & AnalyticsFact;

interface SummaryItem extends ItemKey {
  kind: 'SUMMARY';
  /** Top level, for the condition that keeps the newest summary. */
  generatedAt: string;
  summary: AnalyticsSummary;
}

const SUMMARY_KEY: ItemKey = { pk: 'SUMMARY', sk: 'LATEST' };

function factItemKey(fact: AnalyticsFact): ItemKey {
  switch (fact.kind) {
    case 'STOCK_CHANGE':
      return { pk: `PRODUCT#${fact.productId}`, sk: `STOCK#${fact.eventId}` };
    case 'SALE':
      return { pk: `PRODUCT#${fact.productId}`, sk: `SALE#${fact.orderId}` };
    case 'CANCELLATION':
      return { pk: `ORDER#${fact.orderId}`, sk: 'OUTCOME' };
  }
}

function toFactItem(fact: AnalyticsFact): FactItem {
  return { ...factItemKey(fact), ...fact };
}

function fromFactItem(item: Record<string, unknown>): AnalyticsFact {
  const { pk: _pk, sk: _sk, ...fact } = item as unknown as FactItem;
  return fact as AnalyticsFact;
}

function toSummaryItem(summary: AnalyticsSummary): SummaryItem {
  return { ...SUMMARY_KEY, kind: 'SUMMARY', generatedAt: summary.generatedAt, summary };
}

function fromSummaryItem(item: Record<string, unknown>): AnalyticsSummary {
  return (item as unknown as SummaryItem).summary;
}
