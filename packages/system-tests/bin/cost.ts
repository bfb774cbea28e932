import { parseArgs } from 'node:util';
import { findRepoRoot, type UsageSnapshot } from '@shop/local-cloud';
import { DEFAULT_ASSUMPTIONS, estimateCost, withoutObserver } from '../src/cost/costModel';
import { formatCost } from '../src/cost/formatCost';
import { packagedFunctions } from '../src/cost/packagedFunctions';
import prices from '../src/cost/prices-eu-west-1-2026-11-28.json';
import { lastLoadUsagePath, readSavedUsage } from '../src/cost/savedUsage';

const HELP = `pnpm cost [options]: what an order costs on AWS (eu-west-1, arm64, on-demand list prices)

From the usage a load run measured — billed durations per function, API Gateway requests, SNS
publishes, SQS requests, DynamoDB request units, SES emails, S3 requests — and the memory sizes
of the packaged templates: the cost of 1,000 orders, of a month at N orders a day, and a memory
table per function with a recommendation.

  --usage <file>          usage saved by \`pnpm load\` (default: .local-cloud/usage/last-load.json);
                          what the load tool called only to watch the orders (status polls,
                          stock checks) is left out: an order is POST /orders and what it sets off
  --url <base URL>        read a running local cloud's usage instead (GET <url>/_local/usage);
                          needs --orders
  --orders <n>            orders the usage is for (default: the number the load run saved)
  --orders-per-day <n>    for the monthly figures (default ${DEFAULT_ASSUMPTIONS.ordersPerDay})
  --json                  the whole estimate as JSON, for scripts
  -h, --help              this text

Measure first: pnpm load --orders 30 --concurrency 2 && pnpm cost
Prices: src/cost/prices-eu-west-1-2026-11-28.json (dated, with the pages they come from).`;

async function usageToPrice(values: {
  usage?: string;
  url?: string;
  orders?: string;
}): Promise<{ usage: UsageSnapshot; orders: number }> {
  if (values.url) {
    if (!values.orders) throw new Error('--url needs --orders: how many orders the usage is for');
    const response = await fetch(new URL('/_local/usage', values.url));
    if (!response.ok) throw new Error(`GET ${values.url}/_local/usage answered ${response.status}`);
    // A running local cloud's usage: everything it served counts (no observer to leave out).
    return { usage: (await response.json()) as UsageSnapshot, orders: Number(values.orders) };
  }
  const saved = readSavedUsage(values.usage ?? lastLoadUsagePath(findRepoRoot()));
  return {
    usage: withoutObserver(saved.usage, saved.observer),
    orders: values.orders ? Number(values.orders) : saved.orders,
  };
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      usage: { type: 'string' },
      url: { type: 'string' },
      orders: { type: 'string' },
      'orders-per-day': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const { usage, orders } = await usageToPrice(values);
  const ordersPerDay = Number(values['orders-per-day'] ?? DEFAULT_ASSUMPTIONS.ordersPerDay);
  if (!(orders > 0) || !(ordersPerDay >= 0))
    throw new Error('--orders and --orders-per-day take numbers');
  const estimate = estimateCost(usage, orders, packagedFunctions(findRepoRoot()), prices, {
    ...DEFAULT_ASSUMPTIONS,
    ordersPerDay,
  });
  process.stdout.write(
    values.json ? `${JSON.stringify(estimate, null, 2)}\n` : `${formatCost(estimate)}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`pnpm cost: ${error.message}\n`);
  process.exit(1);
});
