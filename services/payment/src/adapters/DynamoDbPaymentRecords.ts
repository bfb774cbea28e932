import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PaymentRecord, PaymentRecords } from '@shop/payment-domain';

/** One item per order (`orderId`) holding what happened to its money. */
export class DynamoDbPaymentRecords implements PaymentRecords {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orderId: string): Promise<PaymentRecord | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true }),
    );
    return Item as PaymentRecord | undefined;
  }

  async create(record: PaymentRecord): Promise<PaymentRecord> {
    return this.#put(record, 'attribute_not_exists(orderId)', {});
  }

  async transition(from: PaymentRecord['status'], to: PaymentRecord): Promise<PaymentRecord> {
    return this.#put(to, '#status = :from', { ':from': from });
  }

  async #put(
    record: PaymentRecord,
    condition: string,
    values: Record<string, string>,
  ): Promise<PaymentRecord> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: condition,
          ...(Object.keys(values).length > 0
            ? {
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: values,
              }
            : {}),
        }),
      );
      return record;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.get(record.orderId)) as PaymentRecord;
    }
  }
}
