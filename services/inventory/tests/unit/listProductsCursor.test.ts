import 'aws-sdk-client-mock-jest';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { apiGatewayEvent, fakeContext } from '@shop/testing';
import { mockClient } from 'aws-sdk-client-mock';

// Page cursors of GET /products cannot be forged: each is signed (HMAC-SHA256) with the stage's
// key. The catalog is public and the same for everyone, so its cursors are bound to no caller.
// The handler runs with its real store; only the DynamoDB client underneath is mocked.

process.env.PRODUCTS_TABLE = 'products-test';
process.env.PAGE_CURSOR_KEY = 'test-page-cursor-key-0123456789abcdef';

const documentClient = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  documentClient.reset();
});

const load = async () => (await import('../../src/functions/listProducts/handler')).handler;
const listPage = (query: Record<string, string> = {}) =>
  apiGatewayEvent({ path: '/products', query });
const bodyOf = (response: { body?: string }) => JSON.parse(String(response.body));

describe('Function: listProducts (page cursors)', () => {
  it('hands out a signed cursor and starts the next page where it says', async () => {
    // Prepare
    documentClient
      .on(ScanCommand)
      .resolvesOnce({ Items: [], LastEvaluatedKey: { productId: 'prod-milk-frother' } })
      .resolves({ Items: [] });
    const handler = await load();
    const first = await handler(listPage({ limit: '1' }), fakeContext());
    const { nextCursor } = bodyOf(first);

    // Act
    const second = await handler(listPage({ limit: '1', cursor: nextCursor }), fakeContext());

    // Assess
    expect(nextCursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(second.statusCode).toBe(200);
    expect(documentClient).toHaveReceivedNthCommandWith(2, ScanCommand, {
      ExclusiveStartKey: { productId: 'prod-milk-frother' },
    });
  });

  it.each([
    [
      'an unsigned key (the old format)',
      Buffer.from(JSON.stringify({ productId: 'prod-milk-frother' })).toString('base64url'),
    ],
    [
      'a key signed by someone else',
      `${Buffer.from(JSON.stringify({ productId: 'prod-x' })).toString('base64url')}.${'A'.repeat(43)}`,
    ],
    ['garbage', 'not-a-cursor'],
    ['an escape sequence', '\u001b[2J'],
  ])('answers 400 naming cursor for %s, without scanning', async (_case, cursor) => {
    const handler = await load();

    const response = await handler(listPage({ cursor }), fakeContext());

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).issues.map((issue: { path: string }) => issue.path)).toEqual([
      'cursor',
    ]);
    expect(documentClient).not.toHaveReceivedCommand(ScanCommand);
  });
});
