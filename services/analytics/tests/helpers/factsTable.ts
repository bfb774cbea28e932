import { join } from 'node:path';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AnalyticsFact } from '@shop/analytics-domain';
import { declaredTable } from '@shop/local-cloud';

/** The facts table as serverless.yml declares it (FactsTable), under `tableName`. */
export async function createFactsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand(declaredTable(join(__dirname, '..', '..'), 'FactsTable', tableName)),
  );
}

/** The `n`th of a run of facts over 20 products: mostly sales, some stock changes and cancellations. */
export function historicFact(n: number): AnalyticsFact {
  const productId = `prod-${n % 20}`;
  const at = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  if (n % 10 === 0) {
    return {
      kind: 'STOCK_CHANGE',
      eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      productId,
      stock: n % 500,
      delta: 5,
      cause: 'RESTOCKED',
      at,
    };
  }
  if (n % 10 === 1) {
    return {
      kind: 'CANCELLATION',
      orderId: `order-${n}`,
      reason: 'PAYMENT_FAILED',
      total: { amount: 1450, currency: 'EUR' },
      at,
    };
  }
  return {
    kind: 'SALE',
    // Two lines per order on average, as orders are.
    orderId: `order-${Math.floor(n / 2)}`,
    productId,
    quantity: 1 + (n % 3),
    revenue: { amount: 1450 * (1 + (n % 3)), currency: 'EUR' },
    at,
  };
}

/** Key of a fact as the adapter stores it (DynamoDbAnalyticsStore's table layout). */
function keyOf(fact: AnalyticsFact): { pk: string; sk: string } {
  switch (fact.kind) {
    case 'STOCK_CHANGE':
      return { pk: `PRODUCT#${fact.productId}`, sk: `STOCK#${fact.eventId}` };
    case 'SALE':
      return { pk: `PRODUCT#${fact.productId}`, sk: `SALE#${fact.orderId}` };
    case 'CANCELLATION':
      return { pk: `ORDER#${fact.orderId}`, sk: 'OUTCOME' };
  }
}

/**
 * Writes facts as the full-scan version did, without a pending mark: the history a deploy of
 * the incremental roll-up finds. Batches of 25, DynamoDB's cap.
 */
export async function seedSettledFacts(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  facts: readonly AnalyticsFact[],
): Promise<void> {
  for (let start = 0; start < facts.length; start += 25) {
    let requests = facts
      .slice(start, start + 25)
      .map((fact) => ({ PutRequest: { Item: { ...keyOf(fact), ...fact } } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await documentClient.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}
