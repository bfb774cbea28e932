import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { adminClaims, apiGatewayEvent, customerClaims, fakeContext } from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbOrderRepository } from '../../src/adapters/DynamoDbOrderRepository';

// Page cursors of GET /orders cannot be forged: each is signed (HMAC-SHA256, the stage's key) for
// the customer whose orders it pages through. The handler runs with its real repository; only the
// DynamoDB client underneath is mocked.

const KEY = 'test-page-cursor-key-0123456789abcdef';
process.env.ORDERS_TABLE = 'orders-test';
process.env.ORDER_IDEMPOTENCY_TABLE = 'idempotency-test';
process.env.EVENT_BUS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:shop-events-test';
process.env.PAGE_CURSOR_KEY = KEY;

const documentClient = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  documentClient.reset();
});

type Claims = Record<string, unknown>;

const lastKeyOf = (customerId: string) => ({
  orderId: '5f0c6a8e-3b2d-4c55-9f59-2a8f4f1f2b11',
  customerId,
  createdAt: '2026-11-27T10:00:00.000Z',
});

const list = (query: Record<string, string>, claims: Claims = customerClaims()) =>
  apiGatewayEvent({ path: '/orders', query, claims });

const load = async () => (await import('../../src/functions/listOrders/handler')).handler;

const bodyOf = (response: { body?: string }) => JSON.parse(String(response.body));
const issuePaths = (response: { body?: string }) =>
  bodyOf(response).issues.map((issue: { path: string }) => issue.path);

/** The cursor the API hands `claims`' caller for the first page of `query`. */
async function issuedCursor(query: Record<string, string>, claims: Claims, customerId: string) {
  documentClient
    .on(QueryCommand)
    .resolvesOnce({ Items: [], LastEvaluatedKey: lastKeyOf(customerId) });
  const response = await (await load())(list(query, claims), fakeContext());
  const cursor = bodyOf(response).nextCursor as string;
  expect(typeof cursor).toBe('string');
  return cursor;
}

describe('Function: listOrders (page cursors)', () => {
  it('starts the next page where the signed cursor says, for the caller it was issued to', async () => {
    // Prepare
    const cursor = await issuedCursor({ limit: '1' }, customerClaims(), 'cust-42');
    documentClient.reset();
    documentClient.on(QueryCommand).resolves({ Items: [] });
    const handler = await load();

    // Act
    const response = await handler(list({ limit: '1', cursor }), fakeContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(documentClient).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':customerId': 'cust-42' },
      ExclusiveStartKey: lastKeyOf('cust-42'),
    });
  });

  it("answers 400 naming cursor when another customer uses a customer's cursor, without querying", async () => {
    // Prepare
    const cursor = await issuedCursor({}, customerClaims(), 'cust-42');
    documentClient.reset();
    const handler = await load();

    // Act
    const response = await handler(
      list({ cursor }, customerClaims('cust-7', 'grace@example.com')),
      fakeContext(),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(issuePaths(response)).toEqual(['cursor']);
    expect(documentClient).not.toHaveReceivedCommand(QueryCommand);
  });

  it("answers 400 when the payload is swapped for another customer's key under the old signature", async () => {
    // Prepare
    const cursor = await issuedCursor({}, customerClaims('cust-7', 'grace@example.com'), 'cust-7');
    const [, signature] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(lastKeyOf('cust-42'))).toString('base64url');
    documentClient.reset();
    const handler = await load();

    // Act
    const response = await handler(
      list({ cursor: `${forged}.${signature}` }, customerClaims('cust-7', 'grace@example.com')),
      fakeContext(),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(issuePaths(response)).toEqual(['cursor']);
    expect(documentClient).not.toHaveReceivedCommand(QueryCommand);
  });

  it("lets an administrator page through a customer's orders, but not with that cursor on their own", async () => {
    // Prepare
    const cursor = await issuedCursor({ customerId: 'cust-42' }, adminClaims(), 'cust-42');
    documentClient.reset();
    documentClient.on(QueryCommand).resolves({ Items: [] });
    const handler = await load();

    // Act
    const named = await handler(
      list({ customerId: 'cust-42', cursor }, adminClaims()),
      fakeContext(),
    );
    const own = await handler(list({ cursor }, adminClaims()), fakeContext());

    // Assess
    expect(named.statusCode).toBe(200);
    expect(own.statusCode).toBe(400);
    expect(issuePaths(own)).toEqual(['cursor']);
    expect(documentClient).toHaveReceivedCommandTimes(QueryCommand, 1);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    [
      'an unsigned key (the old format)',
      Buffer.from(JSON.stringify(lastKeyOf('cust-42'))).toString('base64url'),
    ],
    ['a NUL', 'abc\u0000def'],
    ['a space', 'abc def'],
  ])('answers 400 naming cursor for %s, without querying', async (_case, cursor) => {
    const handler = await load();

    const response = await handler(list({ cursor }), fakeContext());

    expect(response.statusCode).toBe(400);
    expect(issuePaths(response)).toEqual(['cursor']);
    expect(documentClient).not.toHaveReceivedCommand(QueryCommand);
  });
});

describe('Class: DynamoDbOrderRepository (page cursors)', () => {
  const repository = (key: string) =>
    // The mock above intercepts every DynamoDBDocumentClient.
    new DynamoDbOrderRepository(
      DynamoDBDocumentClient.from(new DynamoDBClient({})),
      'orders-test',
      {
        cursorKey: key,
      },
    );

  it('refuses a cursor signed with another stage key', async () => {
    // Prepare
    documentClient.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: lastKeyOf('cust-42') });
    const page = await repository('another-stage-page-cursor-key-012345').listByCustomer(
      'cust-42',
      {
        limit: 1,
      },
    );

    // Act
    const error = await repository(KEY)
      .listByCustomer('cust-42', { limit: 1, cursor: page.nextCursor as string })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      name: 'OrderValidationError',
      issues: [{ path: 'cursor', message: 'is not a cursor of this listing for this caller' }],
    });
  });
});
