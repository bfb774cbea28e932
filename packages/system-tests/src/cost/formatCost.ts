import type { CostEstimate } from './costModel';

const usd = (value: number, digits = 4) => `$${value.toFixed(digits)}`;
const count = (value: number) =>
  value >= 100
    ? Math.round(value).toLocaleString('en-US')
    : Number(value.toPrecision(3)).toString();

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

/** The estimate as Markdown tables, for a terminal and for BENCHMARKS.md. */
export function formatCost(estimate: CostEstimate): string {
  const { assumptions } = estimate;
  const perMonth = `${assumptions.ordersPerDay.toLocaleString('en-US')} orders/day`;
  return [
    `AWS cost from ${estimate.orders} measured orders (prices ${estimate.pricesAsOf}, arm64, on-demand)`,
    '',
    ...table(
      [
        'service',
        'billed item',
        'per 1,000 orders',
        'cost / 1,000 orders',
        `a month at ${perMonth}`,
        'cost / month',
      ],
      estimate.lines.map((line) => [
        line.service,
        line.item,
        count(line.perThousandOrders),
        usd(line.costPerThousandOrders),
        count(line.monthly),
        usd(line.monthlyCost, 2),
      ]),
    ),
    `| **total** | | | **${usd(estimate.perThousandOrders)}** | | **${usd(estimate.monthly.variable, 2)}** |`,
    '',
    'Every month whatever the orders:',
    '',
    ...table(
      ['fixed item', 'a month', 'cost / month'],
      estimate.fixed.map((line) => [line.item, count(line.monthly), usd(line.monthlyCost, 2)]),
    ),
    '',
    `A month at ${perMonth}: ${usd(estimate.monthly.variable, 2)} + ${usd(estimate.monthly.fixed, 2)} fixed = **${usd(estimate.monthly.total, 2)}**`,
    '',
    'Functions (billed durations measured locally; memory from the packaged templates):',
    '',
    ...table(
      [
        'function',
        'MB',
        'calls/order',
        'median ms',
        'p95 ms',
        'cost / 1,000 orders',
        'recommendation',
      ],
      estimate.functions.map((fn) => [
        fn.name,
        String(fn.memoryMb),
        count(fn.invocationsPerOrder),
        String(fn.medianMs),
        String(fn.p95Ms),
        usd(fn.costPerThousandOrders, 5),
        fn.recommendation,
      ]),
    ),
    '',
    `Memory table: median ms if I/O-bound → if CPU-bound, and cost per 1,000 orders (I/O → CPU); budget ${assumptions.latencyBudgetMs.http} ms for HTTP, ${assumptions.latencyBudgetMs.other} ms otherwise:`,
    '',
    ...table(
      ['function', ...(estimate.functions[0]?.memory.map((m) => `${m.memoryMb} MB`) ?? [])],
      estimate.functions.map((fn) => [
        fn.name,
        ...fn.memory.map(
          (m) =>
            `${m.ioMedianMs}→${m.cpuMedianMs} ms, ${usd(m.ioCostPerThousandOrders, 5)}→${usd(m.cpuCostPerThousandOrders, 5)}`,
        ),
      ]),
    ),
    '',
    ...(estimate.unmatched.length
      ? [`Not in any packaged template (priced at 128 MB): ${estimate.unmatched.join(', ')}`, '']
      : []),
    ...estimate.notes.map((note) => `- ${note}`),
  ].join('\n');
}
