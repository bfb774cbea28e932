import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_HOST } from '../net';
import {
  type CapacityUse,
  failedConditionCapacity,
  type IndexShape,
  itemReadCapacity,
  itemWriteCapacity,
  keyOf,
  queryCapacity,
  type TableShape,
} from './dynamoDbCapacity';
import type { WireItem } from './itemSize';

type Body = Record<string, unknown>;

/** A write the meter saw before it ran: what it changes, and the item before. */
interface PendingWrite {
  table: string;
  shape: TableShape | undefined;
  key: WireItem;
  before: WireItem | undefined;
  /** The item written by a put; undefined for a delete; `'read'` for an update (read it after). */
  after: WireItem | undefined | 'read';
}

/**
 * Counts the on-demand request units of DynamoDB requests from what they send and answer, by
 * AWS's rules (dynamoDbCapacity.ts), instead of asking the emulator: dynalite's
 * ReturnConsumedCapacity leaves out index writes, failed conditions and batches. A write's
 * units depend on the item's size before and after, which neither request nor answer carry, so
 * the meter reads the item from the emulator directly (not through the gateway) before the write,
 * and after an update.
 */
export class DynamoDbMeter {
  readonly #client: DynamoDBClient;
  readonly #shapes = new Map<string, Promise<TableShape | undefined>>();

  constructor(emulatorPort: number, region = 'eu-west-1') {
    this.#client = new DynamoDBClient({
      endpoint: `http://${LOCAL_HOST}:${emulatorPort}`,
      region,
      credentials: { accessKeyId: 'usage-meter', secretAccessKey: 'usage-meter' },
    });
  }

  /**
   * Reads what a request's units depend on before it runs; `settle` then counts them from its answer.
   */
  async prepare(
    action: string,
    request: Body,
  ): Promise<(status: number, answer: Body) => Promise<CapacityUse[]>> {
    const writes = await this.#pendingWrites(action, request);
    return async (status, answer) => {
      if (status >= 400) return this.#failed(answer, writes);
      if (writes.length > 0) return Promise.all(writes.map((write) => this.#settleWrite(write)));
      return this.#reads(action, request, answer);
    };
  }

  async #pendingWrites(action: string, request: Body): Promise<PendingWrite[]> {
    const one = async (
      table: string,
      item: WireItem,
      after: PendingWrite['after'],
    ): Promise<PendingWrite> => {
      const shape = await this.#shape(table);
      const key = shape ? keyOf(shape, item) : item;
      return { table, shape, key, before: await this.#read(table, key), after };
    };
    const table = String(request.TableName ?? '');
    switch (action) {
      case 'PutItem':
        return [await one(table, request.Item as WireItem, request.Item as WireItem)];
      case 'UpdateItem':
        return [await one(table, request.Key as WireItem, 'read')];
      case 'DeleteItem':
        return [await one(table, request.Key as WireItem, undefined)];
      case 'BatchWriteItem': {
        const entries = Object.entries(
          (request.RequestItems ?? {}) as Record<
            string,
            { PutRequest?: { Item: WireItem }; DeleteRequest?: { Key: WireItem } }[]
          >,
        ).flatMap(([name, requests]) => requests.map((entry) => ({ name, entry })));
        return Promise.all(
          entries.map(({ name, entry }) =>
            entry.PutRequest
              ? one(name, entry.PutRequest.Item, entry.PutRequest.Item)
              : one(name, entry.DeleteRequest?.Key ?? {}, undefined),
          ),
        );
      }
      default:
        return [];
    }
  }

  async #settleWrite(write: PendingWrite): Promise<CapacityUse> {
    const after = write.after === 'read' ? await this.#read(write.table, write.key) : write.after;
    return itemWriteCapacity(write.table, write.shape, write.before, after);
  }

  /** A refused write consumes units only when its condition failed. */
  #failed(answer: Body, writes: PendingWrite[]): CapacityUse[] {
    const conditionFailed = String(answer.__type ?? '').endsWith('ConditionalCheckFailedException');
    return conditionFailed
      ? writes.map((write) => failedConditionCapacity(write.table, write.before))
      : [];
  }

  async #reads(action: string, request: Body, answer: Body): Promise<CapacityUse[]> {
    const table = String(request.TableName ?? '');
    const consistent = request.ConsistentRead === true;
    switch (action) {
      case 'GetItem':
        return [itemReadCapacity(table, answer.Item as WireItem | undefined, consistent)];
      case 'Query':
      case 'Scan': {
        const items = (answer.Items ?? []) as WireItem[];
        const scanned = Number(answer.ScannedCount ?? items.length);
        // Global secondary indexes offer only eventually consistent reads.
        const onGlobalIndex = request.IndexName !== undefined && !consistent;
        return [queryCapacity(table, items, scanned, consistent && !onGlobalIndex)];
      }
      case 'BatchGetItem': {
        const requested = (request.RequestItems ?? {}) as Record<
          string,
          { Keys: WireItem[]; ConsistentRead?: boolean }
        >;
        const responses = (answer.Responses ?? {}) as Record<string, WireItem[]>;
        const unprocessed = (answer.UnprocessedKeys ?? {}) as Record<string, { Keys: WireItem[] }>;
        return Object.entries(requested).flatMap(([name, { Keys, ConsistentRead }]) => {
          const found = responses[name] ?? [];
          const misses = Keys.length - found.length - (unprocessed[name]?.Keys.length ?? 0);
          return [
            ...found.map((item) => itemReadCapacity(name, item, ConsistentRead === true)),
            ...Array.from({ length: Math.max(0, misses) }, () =>
              itemReadCapacity(name, undefined, ConsistentRead === true),
            ),
          ];
        });
      }
      default:
        return [];
    }
  }

  async #read(table: string, key: WireItem): Promise<WireItem | undefined> {
    const answer = await this.#client.send(
      new GetItemCommand({
        TableName: table,
        Key: key as unknown as GetItemCommandInput['Key'],
        ConsistentRead: true,
      }),
    );
    return answer.Item as WireItem | undefined;
  }

  #shape(table: string): Promise<TableShape | undefined> {
    let shape = this.#shapes.get(table);
    if (!shape) {
      shape = this.#client
        .send(new DescribeTableCommand({ TableName: table }))
        .then(({ Table }) => ({
          keyNames: (Table?.KeySchema ?? []).map((key) => String(key.AttributeName)),
          globalIndexes: (Table?.GlobalSecondaryIndexes ?? []).map(
            (index): IndexShape => ({
              name: String(index.IndexName),
              keyNames: (index.KeySchema ?? []).map((key) => String(key.AttributeName)),
              projection: index.Projection?.ProjectionType ?? 'ALL',
              nonKeyAttributes: index.Projection?.NonKeyAttributes ?? [],
            }),
          ),
        }))
        .catch(() => undefined);
      this.#shapes.set(table, shape);
    }
    return shape;
  }

  stop(): void {
    this.#client.destroy();
  }
}
