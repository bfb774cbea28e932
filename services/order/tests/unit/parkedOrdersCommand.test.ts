import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { parkedOrdersCommand } from '../../src/operations/parkedOrdersCommand';

// `pnpm parked` through the order service's own repository, DynamoDB mocked underneath.

const documentClient = mockClient(DynamoDBDocumentClient);

/** A parked order as the table holds it. */
const parkedItem = (orderId: string, reason: string) => ({
  orderId,
  customerId: 'cust-42',
  customerEmail: 'ada@example.com',
  lines: [{ productId: 'prod-1', quantity: 1, unitPrice: { amount: 250, currency: 'EUR' } }],
  total: { amount: 250, currency: 'EUR' },
  paymentToken: 'tok_sandbox_success',
  status: 'CANCELLED',
  cancellationCode: 'INVENTORY_UNAVAILABLE',
  outcomes: {},
  correlationId: 'corr-1',
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  published: true,
  decisionPublished: false,
  version: 9,
  timeline: [],
  publishAttempts: 5,
  parked: { at: '2026-11-27T10:05:00.000Z', reason, attempts: 5 },
  outbox: 'PARKED',
});

/** Runs the command; resolves with what it printed. */
async function run(...args: string[]) {
  const lines: string[] = [];
  await parkedOrdersCommand(['--endpoint-url', 'http://127.0.0.1:4566', ...args], (line) =>
    lines.push(line),
  );
  return lines;
}

afterEach(() => documentClient.reset());

describe('Function: parkedOrdersCommand', () => {
  it("lists the stage's parked orders with the event they lack and why", async () => {
    // Prepare
    documentClient.on(QueryCommand).resolves({
      Items: [parkedItem('order-1', 'ContractsValidationError: invalid OrderCancelled v1')],
    });

    // Act
    const lines = await run('--stage', 'dev');

    // Assess
    expect(documentClient).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'shop-order-dev-orders',
      IndexName: 'byOutbox',
      ExpressionAttributeValues: { ':parked': 'PARKED' },
    });
    expect(lines).toEqual([
      '1 parked order(s) in shop-order-dev-orders, oldest first:',
      '  order-1  CANCELLED  OrderCancelled not published  parked 2026-11-27T10:05:00.000Z after 5 attempts',
      '      ContractsValidationError: invalid OrderCancelled v1',
      'once the cause is fixed: pnpm parked --retry <orderId> (repeatable), or --retry-all',
    ]);
    expect(documentClient).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('says so when nothing is parked, on the local stage by default', async () => {
    documentClient.on(QueryCommand).resolves({ Items: [] });

    expect(await run()).toEqual(['no parked orders in shop-order-local-orders']);
  });

  it('gives the named orders back to the sweeper and names those that were not parked', async () => {
    // Prepare
    documentClient.on(UpdateCommand).resolves({});
    documentClient
      .on(UpdateCommand, { Key: { orderId: 'order-2' } })
      .rejects(new ConditionalCheckFailedException({ message: 'not parked', $metadata: {} }));

    // Act
    const lines = await run('--retry', 'order-1', '--retry', 'order-2');

    // Assess
    expect(documentClient).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'shop-order-local-orders',
      Key: { orderId: 'order-1' },
      ConditionExpression: 'outbox = :parkedOutbox',
    });
    expect(lines).toEqual([
      'retried 1 order(s): order-1; the next sweep (within a minute) publishes them',
      'not parked, left alone: order-2',
    ]);
  });

  it('retries every parked order with --retry-all', async () => {
    documentClient.on(QueryCommand).resolves({
      Items: [parkedItem('order-1', 'Error: SNS unavailable'), parkedItem('order-3', 'x')],
    });
    documentClient.on(UpdateCommand).resolves({});

    const lines = await run('--retry-all');

    expect(documentClient).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(lines).toEqual([
      'retried 2 order(s): order-1, order-3; the next sweep (within a minute) publishes them',
    ]);
  });

  it('reads the options after the `--` pnpm puts before them', async () => {
    documentClient.on(QueryCommand).resolves({ Items: [] });
    const lines: string[] = [];

    await parkedOrdersCommand(
      ['--', '--stage', 'dev', '--endpoint-url', 'http://127.0.0.1:4566'],
      (line) => lines.push(line),
    );

    expect(lines).toEqual(['no parked orders in shop-order-dev-orders']);
  });

  it('refuses --retry together with --retry-all, touching nothing', async () => {
    await expect(run('--retry', 'order-1', '--retry-all')).rejects.toThrow('not both');
    expect(documentClient).not.toHaveReceivedAnyCommand();
  });
});
