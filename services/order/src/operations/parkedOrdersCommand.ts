import { parseArgs } from 'node:util';
import type { ParkedOrder, RetryParkedResult } from '@shop/order-domain';
import { type ParkedOrdersOperations, parkedOrdersOperations } from './parkedOrders';

/** How many parked orders one run lists or retries at most. */
const DEFAULT_LIMIT = 1000;

/**
 * `pnpm parked [--retry <orderId> | --retry-all] [--stage local] [--endpoint-url <url>]`: lists the
 * parked orders of a stage's orders table, or retries them. Defaults to the local cloud's AWS
 * endpoint; `--endpoint-url ''` (and AWS credentials) works on AWS.
 *
 * @param write receives each line of output.
 * @param operations for tests; built from the options otherwise.
 */
export async function parkedOrdersCommand(
  args: string[],
  write: (line: string) => void,
  operations?: ParkedOrdersOperations,
): Promise<void> {
  const { values } = parseArgs({
    // `pnpm parked …` runs the script as `parked -- …`: that `--` is pnpm's, not an end of options.
    args: args[0] === '--' ? args.slice(1) : args,
    options: {
      retry: { type: 'string', multiple: true },
      'retry-all': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      stage: { type: 'string', default: 'local' },
      'endpoint-url': {
        type: 'string',
        default: process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566',
      },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'eu-west-1' },
      limit: { type: 'string', default: String(DEFAULT_LIMIT) },
    },
  });
  if (values.help) {
    write(
      'Usage: pnpm parked [--retry <orderId> ... | --retry-all] [--stage local] [--endpoint-url <url>] [--region <region>] [--limit 1000]',
    );
    return;
  }
  const retry = values.retry ?? [];
  if (retry.length > 0 && values['retry-all']) {
    throw new Error('pass --retry <orderId> or --retry-all, not both');
  }
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit must be a positive integer');
  const endpoint = values['endpoint-url'];
  const parked =
    operations ??
    parkedOrdersOperations({
      stage: values.stage,
      dynamoDb: {
        region: values.region,
        ...(endpoint
          ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
          : {}),
      },
    });

  if (values['retry-all']) return printRetried(await parked.retryAll(limit), write);
  if (retry.length > 0) return printRetried(await parked.retry(retry), write);
  printParked(await parked.list(limit), parked.tableName, write);
}

function printParked(orders: ParkedOrder[], tableName: string, write: (line: string) => void) {
  if (orders.length === 0) {
    write(`no parked orders in ${tableName}`);
    return;
  }
  write(`${orders.length} parked order(s) in ${tableName}, oldest first:`);
  for (const { orderId, status, pendingEvent, parked } of orders) {
    write(
      `  ${orderId}  ${status}  ${pendingEvent} not published  parked ${parked.at} after ${parked.attempts} attempts`,
    );
    write(`      ${parked.reason}`);
  }
  write('once the cause is fixed: pnpm parked --retry <orderId> (repeatable), or --retry-all');
}

function printRetried(result: RetryParkedResult, write: (line: string) => void) {
  write(
    result.retried.length > 0
      ? `retried ${result.retried.length} order(s): ${result.retried.join(', ')}; the next sweep (within a minute) publishes them`
      : 'retried no order',
  );
  if (result.notParked.length > 0) write(`not parked, left alone: ${result.notParked.join(', ')}`);
}
