import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { pollUntil } from '@shop/local-cloud';
import { runLoad } from '../src/loadRun';
import { useLocalCloud } from './helpers';

// Crash mid-flow: the payment service's process is killed while orders flow and started again a
// little later. Every order must still be decided, with nothing lost and nothing doubled.

jest.setTimeout(300_000);

const local = useLocalCloud('crash-bus-tap');

const control = async (service: string, action: 'stop' | 'start') => {
  const response = await fetch(`${local.cloud.baseUrl}/_local/services/${service}/${action}`, {
    method: 'POST',
  });
  expect(response.status).toBe(200);
};

it('decides every order exactly once when the payment service crashes and comes back', async () => {
  // Orders of the load only (runLoad's correlation ids): another file's may still be in flight.
  const handledByPayment = () =>
    local.shop
      .logsOf('payment')
      .filter(
        (line) => line.message === 'event handled' && /^load-/.test(String(line.correlationId)),
      ).length;
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
    const queueUrl = await local.shop.queueUrl(`shop-payment-${local.cloud.stage}-events`);
    await pollUntil(
      'orders waiting in the payment queue',
      async () => {
        const { Attributes } = await local.shop.sqs.send(
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
        baseUrl: local.cloud.baseUrl,
        mailViewerUrl: local.cloud.mailViewerUrl,
        payment: (orderId) => local.shop.payment(orderId),
        auth: (email) => local.shop.auth(email),
      },
      { orders: 16, concurrency: 4, settleTimeoutMs: 90_000 },
    ),
    drill,
  ]);

  expect({ lost: report.lost, violations: report.violations }).toEqual({ lost: 0, violations: [] });
  expect(report.confirmed + report.cancelled).toBe(16);
  expect(local.cloud.output().some((line) => line.includes('payment stopped'))).toBe(true);
});
