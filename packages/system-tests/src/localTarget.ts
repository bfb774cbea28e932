import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { findRepoRoot, type LocalCloud, LocalSignIn } from '@shop/local-cloud';
import { subscribeToDecisions } from './decisionFeed';
import type { LoadTarget } from './loadRun';

/** The load run's view of a local cloud: signed-in customers, payments, decisions from the bus. */
export async function localTarget(
  cloud: LocalCloud,
): Promise<LoadTarget & { stop(): Promise<void> }> {
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: cloud.awsEndpoint,
      region: cloud.region,
      credentials: { accessKeyId: 'load', secretAccessKey: 'load' },
    }),
  );
  const identity = new LocalSignIn(cloud.awsEndpoint, cloud.region, cloud.stage, findRepoRoot());
  const decisions = await subscribeToDecisions(cloud);
  return {
    auth: async (email: string) => ({
      Authorization: `Bearer ${email === 'admin' ? await identity.adminToken() : await identity.token(email)}`,
    }),
    baseUrl: cloud.baseUrl,
    mailViewerUrl: cloud.mailViewerUrl,
    payment: async (orderId: string) =>
      (
        await dynamo.send(
          new GetCommand({
            TableName: `shop-payment-${cloud.stage}-payments`,
            Key: { orderId },
            ConsistentRead: true,
          }),
        )
      ).Item as { status: string } | undefined,
    decisions,
    stop: () => decisions.stop(),
  };
}
