import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * The low-level DynamoDB client, for libraries that take one rather than a document client (such
 * as Powertools' idempotency persistence layer). The endpoint comes from the SDK's own settings
 * (`AWS_ENDPOINT_URL_DYNAMODB` locally), so the same code runs against the local cloud and AWS.
 *
 * @example
 * ```ts
 * new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: createDynamoDbClient() });
 * ```
 */
export function createDynamoDbClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient(config);
}
