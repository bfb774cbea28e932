import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startDynamoDb } from '../emulators/dynamodb';

/** DynamoDB for an adapter's integration tests, and a client of it. */
export interface DynamoDbForTests {
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB (dynalite, in this process, on a free 127.0.0.1 port) with the given tables
 * (on-demand unless the definition says otherwise) and a client for it; `stop()` ends both.
 */
export async function startDynamoDbForTests(
  tables: CreateTableCommandInput[] = [],
): Promise<DynamoDbForTests> {
  const emulator = await startDynamoDb(0);
  const client = new DynamoDBClient({
    endpoint: emulator.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const stop = async () => {
    client.destroy();
    await emulator.stop();
  };
  try {
    for (const table of tables)
      await client.send(new CreateTableCommand({ BillingMode: 'PAY_PER_REQUEST', ...table }));
  } catch (error) {
    await stop();
    throw error;
  }
  return { client, stop };
}
