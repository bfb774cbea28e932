import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startDynamoDb } from '../../src/emulators/dynamodb';
import { type AwsGateway, startAwsGateway } from '../../src/gateway/awsGateway';
import { type HttpRouter, startHttpRouter } from '../../src/gateway/httpRouter';
import { UsageRecorder } from '../../src/usage';

// The AWS gateway counting DynamoDB request units of a function's requests against the real
// emulator (dynalite): item sizes before and after, index writes, failed conditions; and the
// base URL serving the count at /_local/usage.

jest.setTimeout(30_000);

const FUNCTION = 'shop-order-local-createOrder';

describe('Class: GatewayUsageMeter (DynamoDB, through the gateway)', () => {
  let dynamodb: Awaited<ReturnType<typeof startDynamoDb>>;
  let gateway: AwsGateway;
  let router: HttpRouter;
  const recorder = new UsageRecorder();
  const clientAs = (credentials: { accessKeyId: string; sessionToken?: string }) =>
    new DynamoDBClient({
      endpoint: gateway.endpoint,
      region: 'eu-west-1',
      credentials: { secretAccessKey: 'x', ...credentials },
    });
  let fn: DynamoDBClient;

  beforeAll(async () => {
    dynamodb = await startDynamoDb(0);
    gateway = await startAwsGateway(0, { routes: { dynamodb: dynamodb.port }, usage: recorder });
    router = await startHttpRouter(
      0,
      [],
      async () => ({ status: 404, body: {} }),
      async () => ({}),
      {
        usage: recorder,
      },
    );
    fn = clientAs({ accessKeyId: 'fn', sessionToken: `local-cloud/${FUNCTION}` });
    await fn.send(
      new CreateTableCommand({
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    fn.destroy();
    await Promise.all([gateway.stop(), router.stop()]);
    await dynamodb.stop();
  });

  beforeEach(() => recorder.reset());

  const units = () => recorder.snapshot().dynamodb.tables.find((t) => t.caller === FUNCTION);

  it('counts a put by the larger item and its index write', async () => {
    // Prepare: an item of 1,500 bytes (pk 2 + 3, status 6 + 7, pad 3 + 1,479).
    const item = { pk: { S: 'o-1' }, status: { S: 'PENDING' }, pad: { S: 'x'.repeat(1479) } };

    // Act
    await fn.send(new PutItemCommand({ TableName: 'orders', Item: item }));

    // Assess: 2 write units on the table, 2 on the index it enters.
    expect(units()).toMatchObject({ requests: 1, writeUnits: 2, indexWriteUnits: 2, readUnits: 0 });
  });

  it('counts an update from the item read before and after, two index writes when its key moves', async () => {
    // Act: the 1,500-byte item grows past 2 KB and moves to another status.
    await fn.send(
      new UpdateItemCommand({
        TableName: 'orders',
        Key: { pk: { S: 'o-1' } },
        UpdateExpression: 'SET #s = :s, more = :more',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'CONFIRMED' }, ':more': { S: 'y'.repeat(700) } },
      }),
    );

    // Assess: after = 1,500 + 2 + 4 + 700 bytes = 2,206 → 3 units; index: delete 2 + put 3.
    expect(units()).toMatchObject({ writeUnits: 3, indexWriteUnits: 5 });
  });

  it('counts a failed condition against the existing item', async () => {
    // Act
    await expect(
      fn.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: { pk: { S: 'o-1' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toThrow(/conditional/i);

    // Assess: the existing item (2,206 bytes) → 3 units, nothing on the index.
    expect(units()).toMatchObject({ writeUnits: 3, indexWriteUnits: 0 });
  });

  it('counts reads by consistency, and index queries as eventually consistent', async () => {
    await fn.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }));
    await fn.send(
      new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'none' } }, ConsistentRead: true }),
    );
    await fn.send(
      new QueryCommand({
        TableName: 'orders',
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'CONFIRMED' } },
      }),
    );

    // Assess: 0.5 (eventual get) + 1 (consistent miss) + 0.5 (index query of one 2 KB item).
    expect(units()).toMatchObject({ requests: 3, readUnits: 2 });
  });

  it('leaves out requests of other callers, and serves the count at /_local/usage', async () => {
    // Prepare: the load tool's own check, signed with its own keys.
    const load = clientAs({ accessKeyId: 'load' });
    await load.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }));
    load.destroy();
    await fn.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }));

    // Act
    const usage = await (await fetch(`${router.url}/_local/usage`)).json();
    const reset = await (
      await fetch(`${router.url}/_local/usage/reset`, { method: 'POST' })
    ).json();

    // Assess
    expect(usage).toMatchObject({
      excludedRequests: 1,
      dynamodb: { tables: [{ table: 'orders', caller: FUNCTION, readUnits: 0.5 }] },
      requests: [{ caller: FUNCTION, service: 'dynamodb', action: 'GetItem', count: 1 }],
    });
    expect(reset).toMatchObject({ dynamodb: { tables: [] }, excludedRequests: 0 });
  });
});
