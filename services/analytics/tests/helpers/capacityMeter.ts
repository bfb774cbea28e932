import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Read and write units DynamoDB reported, and how many requests asked for them. */
export interface CapacityTally {
  readUnits: number;
  writeUnits: number;
  requests: number;
}

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);

/**
 * Asks DynamoDB for the consumed capacity of every request `client` sends and adds it up, by
 * kind. Local emulators answer by AWS's item-size rules for reads; dynalite leaves out index
 * writes, so write units are the table's only.
 *
 * @example
 * ```ts
 * const meter = meterCapacity(client);
 * await rollUp(deps, new Date());
 * meter.take().readUnits;
 * ```
 */
export function meterCapacity(client: DynamoDBClient): { take(): CapacityTally } {
  let tally: CapacityTally = { readUnits: 0, writeUnits: 0, requests: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const reported = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = [reported]
        .flat()
        .reduce<number>(
          (sum, entry) => sum + ((entry as { CapacityUnits?: number })?.CapacityUnits ?? 0),
          0,
        );
      if (READS.has(context.commandName ?? '')) tally.readUnits += units;
      else tally.writeUnits += units;
      tally.requests += 1;
      return result;
    },
    { step: 'initialize', name: 'meterCapacity' },
  );
  return {
    take() {
      const taken = tally;
      tally = { readUnits: 0, writeUnits: 0, requests: 0 };
      return taken;
    },
  };
}
