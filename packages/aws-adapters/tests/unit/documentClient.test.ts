import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../src/dynamodb/documentClient';

// aws-sdk-client-mock cannot stand in for the DynamoDBClient here: DynamoDBDocumentClient sends
// through its own `send` (the shared smithy Client), never DynamoDBClient#send, and mocking the
// document client itself would skip the marshalling under test. So the client gets a request
// handler that records the wire request (the marshalled DynamoDB JSON) and answers it locally.

interface RecordedRequest {
  /** e.g. `DynamoDB_20120810.PutItem` */
  target: string | undefined;
  body: Record<string, unknown>;
}

function recordingClient(responseBody: object = {}, config: DynamoDBClientConfig = {}) {
  const requests: RecordedRequest[] = [];
  const requestHandler = {
    handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
      requests.push({
        target: request.headers['x-amz-target'],
        body: JSON.parse(
          request.body instanceof Uint8Array
            ? new TextDecoder().decode(request.body)
            : String(request.body),
        ),
      });
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Buffer.from(JSON.stringify(responseBody)),
        },
      };
    },
  };
  const client = new DynamoDBClient({
    ...config,
    requestHandler: requestHandler as unknown as DynamoDBClientConfig['requestHandler'],
  });
  return { client, requests };
}

describe('Function: createDocumentClient', () => {
  it('removes undefined values, nested ones included, when marshalling an item', async () => {
    // Prepare
    const { client, requests } = recordingClient();
    const documentClient = createDocumentClient({ client });

    // Act
    await documentClient.send(
      new PutCommand({
        TableName: 'orders',
        Item: {
          pk: 'ORDER#order-1',
          cancellationReason: undefined,
          total: { amount: 2900, currency: 'EUR', note: undefined },
          lines: [{ productId: 'p', quantity: 2, discount: undefined }],
        },
      }),
    );

    // Assess
    expect(requests).toEqual([
      {
        target: 'DynamoDB_20120810.PutItem',
        body: {
          TableName: 'orders',
          Item: {
            pk: { S: 'ORDER#order-1' },
            total: { M: { amount: { N: '2900' }, currency: { S: 'EUR' } } },
            lines: { L: [{ M: { productId: { S: 'p' }, quantity: { N: '2' } } }] },
          },
        },
      },
    ]);
  });

  it('keeps the other PutItem parameters', async () => {
    const { client, requests } = recordingClient();
    const documentClient = createDocumentClient({ client });

    await documentClient.send(
      new PutCommand({
        TableName: 'orders',
        Item: { pk: 'ORDER#order-1', published: false },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );

    expect(requests[0]?.body).toEqual({
      TableName: 'orders',
      Item: { pk: { S: 'ORDER#order-1' }, published: { BOOL: false } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('refuses class instances rather than silently storing them as maps', async () => {
    const { client, requests } = recordingClient();
    const documentClient = createDocumentClient({ client });

    await expect(
      documentClient.send(
        new PutCommand({
          TableName: 'orders',
          Item: { pk: 'ORDER#order-1', createdAt: new Date('2024-05-01T10:00:00.000Z') },
        }),
      ),
    ).rejects.toThrow(/convertClassInstanceToMap/);
    expect(requests).toEqual([]);
  });

  it('unmarshals items it reads into plain values', async () => {
    // Prepare
    const { client, requests } = recordingClient({
      Item: { pk: { S: 'ORDER#order-1' }, total: { M: { amount: { N: '2900' } } } },
    });
    const documentClient = createDocumentClient({ client });

    // Act
    const result = await documentClient.send(
      new GetCommand({ TableName: 'orders', Key: { pk: 'ORDER#order-1' } }),
    );

    // Assess
    expect(result.Item).toEqual({ pk: 'ORDER#order-1', total: { amount: 2900 } });
    expect(requests[0]).toEqual({
      target: 'DynamoDB_20120810.GetItem',
      body: { TableName: 'orders', Key: { pk: { S: 'ORDER#order-1' } } },
    });
  });

  it('shares the configuration of the client it is given', async () => {
    const { client } = recordingClient({}, { region: 'eu-west-1' });

    const documentClient = createDocumentClient({ client });

    expect(documentClient.config).toBe(client.config);
    await expect(documentClient.config.region()).resolves.toBe('eu-west-1');
  });

  it('builds its own client from the given config otherwise', async () => {
    const documentClient = createDocumentClient({ config: { region: 'ap-southeast-2' } });

    await expect(documentClient.config.region()).resolves.toBe('ap-southeast-2');
    expect(documentClient.config.translateConfig?.marshallOptions).toEqual({
      removeUndefinedValues: true,
      convertClassInstanceToMap: false,
    });
  });

  it('builds a client from the SDK defaults when given no options', async () => {
    const documentClient = createDocumentClient();

    await expect(documentClient.config.region()).resolves.toBe(process.env.AWS_REGION);
  });
});
