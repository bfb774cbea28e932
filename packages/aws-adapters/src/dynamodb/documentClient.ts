import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from './dynamoDbClient';

/**
 * A DynamoDB document client with the marshalling options every table of ours uses.
 * The endpoint comes from the SDK's own settings (`AWS_ENDPOINT_URL_DYNAMODB` locally), so the
 * same code runs against the local cloud and AWS.
 *
 * @example
 * ```ts
 * const documentClient = createDocumentClient();                 // Lambda
 * const documentClient = createDocumentClient({ client: mocked }); // tests
 * ```
 */
export function createDocumentClient(
  options: { client: DynamoDBClient } | { config?: DynamoDBClientConfig } = {},
): DynamoDBDocumentClient {
  const client = 'client' in options ? options.client : createDynamoDbClient(options.config);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
