import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { type LocalCloudProcess, pollUntil, startLocalCloudProcess } from '@shop/local-cloud';
import { type BusTap, customer, eur, type Json, Shop } from './helpers';

// A missing grant, rehearsed: the local cloud runs with `sns:Publish` taken out of order's
// recordOutcomes role, as if the statement had been deleted from serverless.yml. On AWS that
// function would get AuthorizationError when it publishes a decision; locally it must too, and
// the saga must react as it would there: the decision is stored, its events go to the DLQ after
// their retries, and the sweeper (whose role still may publish) puts the decision on the bus.

jest.setTimeout(300_000);

const RECORD_OUTCOMES = 'shop-order-local-recordOutcomes';

let cloud: LocalCloudProcess;
let shop: Shop;
let bus: BusTap;

beforeAll(async () => {
  cloud = await startLocalCloudProcess({
    env: { LOCAL_CLOUD_IAM_REVOKE: `${RECORD_OUTCOMES}=sns:Publish` },
  });
  shop = new Shop(cloud);
  bus = await shop.tapTheBus('iam-drill-bus-tap');
});

afterAll(async () => {
  await cloud?.stop();
});

it('refuses the publish as AWS would, dead-letters the retries, and the sweeper publishes the decision', async () => {
  // Prepare
  const email = customer('drill');

  // Act
  const order = await shop.placeOrder(email, [
    { productId: 'prod-espresso-beans', quantity: 1, unitPrice: eur(1450) },
  ]);
  const decided = await shop.settled(order.orderId, 60_000);

  // Assess: the decision is stored, but its event never left recordOutcomes.
  expect(decided.status).toBe('CONFIRMED');
  const denial = await pollUntil(
    'the denial in the live view',
    async () =>
      cloud
        .output()
        .find(
          (line) =>
            line.includes(RECORD_OUTCOMES) &&
            line.includes('sns:Publish') &&
            line.includes(':shop-events-local'),
        ),
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  expect(denial).toMatch(/denied|refused|not authorized/i);
  const failures = shop
    .logsOf('order')
    .filter((line: Json) => line.function_name === RECORD_OUTCOMES && line.level === 'ERROR');
  expect(JSON.stringify(failures)).toMatch(/AuthorizationError/);
  expect(
    (await bus.drain()).filter(
      (e: Json) => e.eventType === 'OrderConfirmed' && e.data.orderId === order.orderId,
    ),
  ).toEqual([]);

  // The reports are retried with backoff, then dead-lettered.
  const dlqUrl = await shop.queueUrl(`shop-order-${cloud.stage}-events-dlq`);
  await pollUntil(
    'the undeliverable reports in the order DLQ',
    async () => {
      const { Attributes } = await shop.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: dlqUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages) > 0 ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );

  // The sweeper's own role may publish: it puts the stored decision on the bus.
  await pollUntil(
    'OrderConfirmed published by the sweeper',
    async () => {
      await shop.invoke('order', 'publishPendingOrders');
      const confirmed = (await bus.drain()).filter(
        (e: Json) => e.eventType === 'OrderConfirmed' && e.data.orderId === order.orderId,
      );
      return confirmed.length > 0 ? confirmed : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 2_000 },
  );
});
