import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { pollUntil } from '@shop/local-cloud';
import { customer, eur, type Json, useLocalCloud } from './helpers';
import { IAM_DRILL_FUNCTION } from './sharedCloud';

// A missing grant, rehearsed: the local cloud runs with `sns:Publish` taken out of order's
// recordOutcomes role, as if the statement had been deleted from serverless.yml. On AWS that
// function would get AuthorizationError when it publishes a decision; locally it must too, and
// the saga must react as it would there: the decision is stored, its events go to the DLQ after
// their retries, and the sweeper (whose role still may publish) puts the decision on the bus.

jest.setTimeout(300_000);

const RECORD_OUTCOMES = IAM_DRILL_FUNCTION;

// A cloud of its own, started with the grant revoked (sharedCloud.ts).
const local = useLocalCloud('iam-drill-bus-tap', 'iam-drill');

it('refuses the publish as AWS would, dead-letters the retries, and the sweeper publishes the decision', async () => {
  // Prepare
  const email = customer('drill');

  // Act
  const order = await local.shop.placeOrder(email, [
    { productId: 'prod-espresso-beans', quantity: 1, unitPrice: eur(1450) },
  ]);
  const decided = await local.shop.settled(order.orderId, 60_000);

  // Assess: the decision is stored, but its event never left recordOutcomes.
  expect(decided.status).toBe('CONFIRMED');
  const denial = await pollUntil(
    'the denial in the live view',
    async () =>
      local.cloud
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
  // The function's own error line may come after the live view's denial line: wait for it.
  const failuresOf = () =>
    local.shop
      .logsOf('order')
      .filter((line: Json) => line.function_name === RECORD_OUTCOMES && line.level === 'ERROR');
  const failures = await pollUntil(
    'the AuthorizationError in recordOutcomes’ log',
    async () => {
      const lines = failuresOf();
      return /AuthorizationError/.test(JSON.stringify(lines)) ? lines : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  ).catch(failuresOf);
  expect(JSON.stringify(failures)).toMatch(/AuthorizationError/);
  expect(
    (await local.bus.drain()).filter(
      (e: Json) => e.eventType === 'OrderConfirmed' && e.data.orderId === order.orderId,
    ),
  ).toEqual([]);

  // The reports are retried with backoff, then dead-lettered.
  const dlqUrl = await local.shop.queueUrl(`shop-order-${local.cloud.stage}-events-dlq`);
  await pollUntil(
    'the undeliverable reports in the order DLQ',
    async () => {
      const { Attributes } = await local.shop.sqs.send(
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
      await local.shop.invoke('order', 'publishPendingOrders');
      const confirmed = (await local.bus.drain()).filter(
        (e: Json) => e.eventType === 'OrderConfirmed' && e.data.orderId === order.orderId,
      );
      return confirmed.length > 0 ? confirmed : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 2_000 },
  );
});
