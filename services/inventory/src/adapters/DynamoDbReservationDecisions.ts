import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ReservationDecision, ReservationDecisions } from '@shop/inventory-domain';

/** One item per order (`orderId`): what inventory decided, written once, then moved on. */
export class DynamoDbReservationDecisions implements ReservationDecisions {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orderId: string): Promise<ReservationDecision | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true }),
    );
    return Item as ReservationDecision | undefined;
  }

  async decide(decision: ReservationDecision): Promise<ReservationDecision> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: decision,
          ConditionExpression: 'attribute_not_exists(orderId)',
        }),
      );
      return decision;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.get(decision.orderId)) as ReservationDecision;
    }
  }

  async transition(
    orderId: string,
    to: Extract<ReservationDecision, { status: 'RELEASED' | 'COMMITTED' }>,
  ): Promise<ReservationDecision> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { orderId },
          UpdateExpression: 'SET #status = :to, changes = :changes',
          ConditionExpression: '#status = :reserved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': to.status,
            ':changes': to.changes,
            ':reserved': 'RESERVED',
          },
        }),
      );
      return to;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.get(orderId)) as ReservationDecision;
    }
  }
}
