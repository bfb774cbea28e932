import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { type LocalCloudProcess, pollUntil, startLocalCloudProcess } from '@shop/local-cloud';
import { runLoad } from '../src/loadRun';
import { Shop } from './helpers';

// Crash mid-flow: the payment service's process is killed while orders flow and started again a
// little later. Every order must still be decided, with nothing lost and nothing doubled.

jest.setTimeout(300_000);

let cloud: LocalCloudProcess;
let shop: Shop;

beforeAll(async () => {
  cloud = await startLocalCloudProcess();
  shop = new Shop(cloud);
});

afterAll(async () => {
  await cloud?.stop();
});

const control = async (service: string, action: 'stop' | 'start') => {
  const response = await fetch(`${cloud.baseUrl}/_local/services/${service}/${action}`, {
    method: 'POST',
  });
  expect(response.status).toBe(200);
};

it('decides every order exactly once when the payment service crashes and comes back', async () => {
  const handledByPayment = () =>
    shop.logsOf('payment').filter((line) => line.message === 'event handled').length;
  const drill = (async () => {
    // Crash once payment is busy with the load; restart once orders have piled up for it.
    await pollUntil(
      'payment to handle a first order',
      async () => (handledByPayment() > 0 ? true : undefined),
      {
        timeoutMs: 30_000,
        intervalMs: 50,
      },
    );
    await control('payment', 'stop');
    // Work piles up in payment's queue while it is down: that is the window to recover from.
    const queueUrl = await shop.queueUrl(`shop-payment-${cloud.stage}-events`);
    await pollUntil(
      'orders waiting in the payment queue',
      async () => {
        const { Attributes } = await shop.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
            ],
          }),
        );
        const waiting =
          Number(Attributes?.ApproximateNumberOfMessages) +
          Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
        return waiting > 0 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    await control('payment', 'start');
  })();

  const [report] = await Promise.all([
    runLoad(
      {
        baseUrl: cloud.baseUrl,
        mailViewerUrl: cloud.mailViewerUrl,
        payment: (orderId) => shop.payment(orderId),
      },
      { orders: 16, concurrency: 4, settleTimeoutMs: 90_000 },
    ),
    drill,
  ]);

  expect({ lost: report.lost, violations: report.violations }).toEqual({ lost: 0, violations: [] });
  expect(report.confirmed + report.cancelled).toBe(16);
  expect(cloud.output().some((line) => line.includes('payment stopped'))).toBe(true);
});
