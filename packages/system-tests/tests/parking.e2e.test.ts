import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { pollUntil } from '@shop/local-cloud';
import { customer, eur, type Json, useLocalCloud } from './helpers';

// An order the sweeper can never publish is parked after five failed sweeps, out of the way of
// the orders behind it; `pnpm parked` lists it with why, and once its data is fixed, `--retry`
// gives it back to the sweeper, which publishes it.
//
// The orders are written straight into the table, as the order service stores them with their
// OrderCreated never published: no API accepts an order whose OrderCreated cannot be built.
// The sweeper also runs on its schedule (every minute) under the local cloud, so every check
// reads the outcome, whichever sweep brought it about.

jest.setTimeout(300_000);

const local = useLocalCloud('parking-bus-tap');

const ordersTable = () => `shop-order-${local.cloud.stage}-orders`;

/** Sweeps the order service's outbox now, as its schedule would. */
const sweep = () => local.shop.invoke('order', 'publishPendingOrders');

/**
 * An order as DynamoDbOrderRepository stores it, placed `secondsAgo` (past the sweeper's 30 s of
 * grace) and waiting in the outbox for its OrderCreated to be published.
 */
function unpublishedOrder(orderId: string, customerEmail: string, secondsAgo: number) {
  const createdAt = new Date(Date.now() - secondsAgo * 1000).toISOString();
  return {
    orderId,
    customerId: 'cust-parking',
    customerEmail,
    lines: [{ productId: 'prod-espresso-beans', quantity: 1, unitPrice: eur(1450) }],
    total: eur(1450),
    paymentToken: 'tok_sandbox_success',
    status: 'PENDING',
    outcomes: {},
    correlationId: `corr-${orderId}`,
    createdAt,
    updatedAt: createdAt,
    published: false,
    decisionPublished: false,
    version: 1,
    timeline: [{ at: createdAt, event: 'OrderCreated' }],
    outbox: 'PENDING',
  };
}

async function putOrder(item: Json): Promise<void> {
  await local.shop.dynamo.send(new PutCommand({ TableName: ordersTable(), Item: item }));
}

async function storedOrder(orderId: string): Promise<Json> {
  const { Item } = await local.shop.dynamo.send(
    new GetCommand({ TableName: ordersTable(), Key: { orderId }, ConsistentRead: true }),
  );
  return Item;
}

/** What `pnpm parked …` prints, run as a person would run it against this test's cloud. */
async function parkedCommand(...args: string[]): Promise<string> {
  const localCloudDir = dirname(require.resolve('@shop/local-cloud/package.json'));
  const { stdout } = await promisify(execFile)(
    join(localCloudDir, 'node_modules', '.bin', 'tsx'),
    [
      join(localCloudDir, 'src', 'cli.ts'),
      'parked',
      ...args,
      '--stage',
      local.cloud.stage,
      '--endpoint-url',
      local.cloud.awsEndpoint,
      '--region',
      local.cloud.region,
    ],
    { cwd: localCloudDir },
  );
  return stdout;
}

/** The OrderCreated events of an order that reached the bus so far. */
async function orderCreatedOf(orderId: string): Promise<Json[]> {
  return (await local.bus.drain()).filter(
    (event: Json) => event.eventType === 'OrderCreated' && event.data?.orderId === orderId,
  );
}

/** Waits for the OrderCreated of an order on the bus. */
const awaitOrderCreated = (orderId: string) =>
  pollUntil(
    `OrderCreated of ${orderId} on the bus`,
    async () => {
      const [created] = await orderCreatedOf(orderId);
      return created;
    },
    { timeoutMs: 20_000, intervalMs: 200 },
  );

describe('Parking', () => {
  it('parks an order that can never be published, lists it, and publishes it once fixed', async () => {
    // Prepare: OrderCreated of this order fails validation (its email is not an address).
    const parkedId = `parking-bad-${Date.now()}`;
    await putOrder(unpublishedOrder(parkedId, 'not an address', 180));

    // Act: five sweeps, each failing to publish it.
    for (let i = 0; i < 5; i++) await sweep();

    // Assess: parked, out of the sweeper's partition, with the validation error as its reason.
    const parked = await storedOrder(parkedId);
    expect(parked).toMatchObject({ outbox: 'PARKED', published: false, status: 'PENDING' });
    expect(parked.parked).toEqual({
      at: expect.any(String),
      reason: expect.stringMatching(/^ContractsValidationError: invalid OrderCreated v1: .*/),
      attempts: expect.any(Number),
    });
    expect(parked.parked.reason).toContain('data.customerEmail');
    // Five by default; one more if a scheduled sweep counted a failure at the same moment.
    expect(parked.parked.attempts).toBeGreaterThanOrEqual(5);
    expect(await orderCreatedOf(parkedId)).toEqual([]);

    // `pnpm parked` lists it, with the reason.
    const listing = await parkedCommand();
    expect(listing).toContain(`1 parked order(s) in ${ordersTable()}`);
    expect(listing).toMatch(
      new RegExp(
        `^ {2}${parkedId} {2}PENDING {2}OrderCreated not published {2}parked \\S+ after \\d+ attempts$`,
        'm',
      ),
    );
    expect(listing).toContain(parked.parked.reason);

    // The sweeper said so: the parked log line with the order id, and the OrdersParked metric.
    const logged = await pollUntil(
      'the sweeper’s parked log line and OrdersParked metric',
      async () => {
        const lines = local.shop.logsOf('order');
        const line = lines.find(
          (l) =>
            l.message === 'order parked: the sweeper stopped publishing it' &&
            l.orderId === parkedId,
        );
        const metric = lines.find(
          (l) =>
            l._aws?.CloudWatchMetrics?.some((m: Json) =>
              m.Metrics.some((metricDefinition: Json) => metricDefinition.Name === 'OrdersParked'),
            ) && l.OrdersParked === 1,
        );
        return line && metric ? { line, metric } : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(logged.line).toMatchObject({ level: 'ERROR', reason: parked.parked.reason });
    expect(logged.metric).toMatchObject({ service: 'order', OrdersParked: 1 });

    // A valid order stuck after it is published by the next sweep: the parked one holds up nothing.
    const stuckId = `parking-stuck-${Date.now()}`;
    await putOrder(unpublishedOrder(stuckId, customer('stuck'), 60));
    await sweep();
    const stuckCreated = await awaitOrderCreated(stuckId);
    expect(stuckCreated.data).toMatchObject({ orderId: stuckId, customerId: 'cust-parking' });
    expect(await storedOrder(stuckId)).toMatchObject({ published: true });
    expect(await storedOrder(parkedId)).toMatchObject({ outbox: 'PARKED' });

    // Fix the order's data, retry it, and sweep.
    const fixedEmail = customer('parked');
    await local.shop.dynamo.send(
      new UpdateCommand({
        TableName: ordersTable(),
        Key: { orderId: parkedId },
        UpdateExpression: 'SET customerEmail = :email',
        ExpressionAttributeValues: { ':email': fixedEmail },
      }),
    );
    const retried = await parkedCommand('--retry', parkedId);
    expect(retried).toContain(`retried 1 order(s): ${parkedId};`);
    await sweep();

    // Published at last, and nothing is parked any more.
    const created = await awaitOrderCreated(parkedId);
    expect(created.data).toMatchObject({ orderId: parkedId, customerEmail: fixedEmail });
    const published = await storedOrder(parkedId);
    expect(published).toMatchObject({ published: true });
    expect(published).not.toHaveProperty('parked');
    expect(await parkedCommand()).toContain(`no parked orders in ${ordersTable()}`);
  });
});
