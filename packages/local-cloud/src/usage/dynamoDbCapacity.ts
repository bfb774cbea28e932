import { itemSize, type WireItem } from './itemSize';

/** A global secondary index as its table declares it. */
export interface IndexShape {
  name: string;
  keyNames: string[];
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  nonKeyAttributes?: string[];
}

/** What capacity counting needs to know of a table. */
export interface TableShape {
  keyNames: string[];
  globalIndexes: IndexShape[];
}

/** Units one request consumed on one table: on-demand read and write request units. */
export interface CapacityUse {
  table: string;
  readUnits: number;
  writeUnits: number;
  /** Write units of its global secondary indexes (billed as writes too). */
  indexWriteUnits: number;
}

const READ_UNIT_BYTES = 4096;
const WRITE_UNIT_BYTES = 1024;

/**
 * Read request units for `bytes` read at once: one per started 4 KB (at least one), half for an
 * eventually consistent read.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 *
 * @example
 * readUnits(4097, true); // 2
 * readUnits(100, false); // 0.5
 */
export function readUnits(bytes: number, consistent: boolean): number {
  return Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES)) * (consistent ? 1 : 0.5);
}

/**
 * Write request units for one item of `bytes`: one per started 1 KB, at least one.
 *
 * @example
 * writeUnits(1025); // 2
 */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
}

/** The item as an index stores it, or undefined when the item lacks the index's keys. */
function projected(index: IndexShape, table: TableShape, item: WireItem | undefined) {
  if (!item || !index.keyNames.every((name) => name in item)) return undefined;
  if (index.projection === 'ALL') return item;
  const kept = new Set([
    ...table.keyNames,
    ...index.keyNames,
    ...(index.projection === 'INCLUDE' ? (index.nonKeyAttributes ?? []) : []),
  ]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)));
}

const sameValues = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Write units an index consumes when an item changes from `before` to `after` (undefined: absent):
 * one write to add or remove it, two (delete and put) when its index key changes, one when a
 * projected attribute changes, none when the index does not see the change.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
 */
export function indexWriteUnits(
  index: IndexShape,
  table: TableShape,
  before: WireItem | undefined,
  after: WireItem | undefined,
): number {
  const old = projected(index, table, before);
  const next = projected(index, table, after);
  if (!old && !next) return 0;
  if (!next) return writeUnits(itemSize(old));
  if (!old) return writeUnits(itemSize(next));
  const keyChanged = index.keyNames.some((name) => !sameValues(old[name], next[name]));
  if (keyChanged) return writeUnits(itemSize(old)) + writeUnits(itemSize(next));
  return sameValues(old, next) ? 0 : writeUnits(itemSize(next));
}

/**
 * Units of one item write (put, update or delete) that went through: the larger of the item's
 * size before and after, plus every index's writes. `after` undefined is a delete.
 *
 * @example
 * itemWriteCapacity('orders', shape, undefined, { pk: { S: 'o-1' } }); // 1 write unit, no index
 */
export function itemWriteCapacity(
  table: string,
  shape: TableShape | undefined,
  before: WireItem | undefined,
  after: WireItem | undefined,
): CapacityUse {
  return {
    table,
    readUnits: 0,
    writeUnits: writeUnits(Math.max(itemSize(before), itemSize(after))),
    indexWriteUnits: (shape?.globalIndexes ?? []).reduce(
      (sum, index) => sum + indexWriteUnits(index, shape as TableShape, before, after),
      0,
    ),
  };
}

/**
 * Units of a write whose condition failed: it still consumes writes for the size of the existing
 * item (at least one), and touches no index.
 */
export function failedConditionCapacity(
  table: string,
  existing: WireItem | undefined,
): CapacityUse {
  return { table, readUnits: 0, writeUnits: writeUnits(itemSize(existing)), indexWriteUnits: 0 };
}

/**
 * Units of a Query or Scan page: the sizes of every item it evaluated, summed, then rounded up to
 * 4 KB once. Items a filter dropped were read too; the answer only counts them (`ScannedCount`), so
 * they are sized like the average returned item (1 KB when none came back). Queries of a global
 * index are always eventually consistent.
 */
export function queryCapacity(
  table: string,
  items: WireItem[],
  scannedCount: number,
  consistent: boolean,
): CapacityUse {
  const returned = items.reduce((sum, item) => sum + itemSize(item), 0);
  const average = items.length > 0 ? returned / items.length : WRITE_UNIT_BYTES;
  const filteredOut = Math.max(0, scannedCount - items.length);
  return {
    table,
    readUnits: readUnits(returned + filteredOut * average, consistent),
    writeUnits: 0,
    indexWriteUnits: 0,
  };
}

/** Units of reading one item by key (GetItem, or one key of BatchGetItem); a miss costs one read. */
export function itemReadCapacity(
  table: string,
  item: WireItem | undefined,
  consistent: boolean,
): CapacityUse {
  return {
    table,
    readUnits: readUnits(itemSize(item), consistent),
    writeUnits: 0,
    indexWriteUnits: 0,
  };
}

/** The key attributes of an item, for reading it again. */
export function keyOf(shape: TableShape, item: WireItem): WireItem {
  return Object.fromEntries(shape.keyNames.map((name) => [name, item[name] ?? {}])) as WireItem;
}
