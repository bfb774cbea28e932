import {
  billedChunks,
  messagePayloadBytes,
  s3RequestTier,
  sesEmailsSent,
  snsRequestUse,
  sqsRequestUse,
} from '../../src/usage/billedRequests';
import {
  failedConditionCapacity,
  type IndexShape,
  indexWriteUnits,
  itemReadCapacity,
  itemWriteCapacity,
  queryCapacity,
  readUnits,
  type TableShape,
  writeUnits,
} from '../../src/usage/dynamoDbCapacity';
import { itemSize, type WireItem } from '../../src/usage/itemSize';
import { loggedInvocation } from '../../src/usage/offlineLog';
import { UsageRecorder } from '../../src/usage/UsageRecorder';

/** An item of about `bytes` bytes: `pk` (2 + 3 bytes) and a padding string making up the rest. */
const itemOf = (bytes: number, pk = 'o-1', extra: WireItem = {}): WireItem => {
  const base: WireItem = { pk: { S: pk }, ...extra };
  const padding = bytes - itemSize(base) - 'pad'.length;
  return { ...base, pad: { S: 'x'.repeat(padding) } };
};

describe('Function: itemSize', () => {
  it('counts attribute names and values by type', () => {
    // Assess: names 2 + 5; 'order#1' 7; 1450 → digits 145 → ceil(3/2) + 1 = 3.
    expect(itemSize({ pk: { S: 'order#1' }, total: { N: '1450' } })).toBe(17);
    // 'é' is two bytes in UTF-8; booleans and nulls one byte.
    expect(itemSize({ n: { S: 'é' }, b: { BOOL: true }, z: { NULL: true } })).toBe(1 + 2 + 2 + 2);
    // Binary: the decoded bytes, not the base64 text.
    expect(itemSize({ b: { B: Buffer.from('abcd').toString('base64') } })).toBe(1 + 4);
  });

  it('adds 3 bytes per list or map and 1 per element', () => {
    expect(itemSize({ m: { M: { a: { S: 'xy' } } } })).toBe(1 + 3 + (1 + 2 + 1));
    expect(itemSize({ l: { L: [{ N: '1' }, { BOOL: false }] } })).toBe(1 + 3 + (2 + 1) + (1 + 1));
    expect(itemSize({ e: { L: [] } })).toBe(1 + 3);
  });

  it('sizes numbers by significant digits', () => {
    expect(itemSize({ n: { N: '0.000120' } })).toBe(1 + 2); // 12 → 2 digits → 2 bytes
    expect(itemSize({ n: { N: '-123456' } })).toBe(1 + 4); // 6 digits → 3 + 1
  });
});

describe('Function: readUnits / writeUnits', () => {
  it('rounds reads up to 4 KB and halves eventually consistent ones', () => {
    expect(readUnits(0, true)).toBe(1);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
    expect(readUnits(4097, false)).toBe(1);
    expect(readUnits(10, false)).toBe(0.5);
  });

  it('rounds writes up to 1 KB, at least one', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(writeUnits(3000)).toBe(3);
  });
});

describe('Function: itemWriteCapacity', () => {
  const byStatus: IndexShape = { name: 'byStatus', keyNames: ['status'], projection: 'ALL' };
  const shape: TableShape = { keyNames: ['pk'], globalIndexes: [byStatus] };

  it('bills the larger of the item before and after', () => {
    // Prepare: a 3,000-byte item shrunk to 500 bytes still costs what 3,000 bytes cost.
    const use = itemWriteCapacity(
      'orders',
      { keyNames: ['pk'], globalIndexes: [] },
      itemOf(3000),
      itemOf(500),
    );

    // Assess
    expect(use).toEqual({ table: 'orders', readUnits: 0, writeUnits: 3, indexWriteUnits: 0 });
  });

  it('adds one index write when an item enters an index, two when its index key changes', () => {
    const pending = itemOf(1500, 'o-1', { status: { S: 'PENDING' } });
    const confirmed = itemOf(1500, 'o-1', { status: { S: 'CONFIRMED' } });

    expect(itemWriteCapacity('orders', shape, undefined, pending).indexWriteUnits).toBe(2);
    expect(itemWriteCapacity('orders', shape, pending, confirmed).indexWriteUnits).toBe(4);
    // A delete removes it from the index: one write of its old size.
    expect(itemWriteCapacity('orders', shape, pending, undefined)).toMatchObject({
      writeUnits: 2,
      indexWriteUnits: 2,
    });
  });

  it('writes no index the item is not in, nor one whose projection did not change', () => {
    const keysOnly: IndexShape = { name: 'keys', keyNames: ['status'], projection: 'KEYS_ONLY' };
    const keysOnlyShape: TableShape = { keyNames: ['pk'], globalIndexes: [keysOnly] };
    const before = itemOf(200, 'o-1', { status: { S: 'PENDING' } });
    const after = { ...before, note: { S: 'changed, but not projected' } };

    expect(indexWriteUnits(keysOnly, keysOnlyShape, before, after)).toBe(0);
    expect(itemWriteCapacity('orders', shape, itemOf(200), itemOf(300)).indexWriteUnits).toBe(0);
  });

  it('charges a failed condition the existing item, at least one unit', () => {
    expect(failedConditionCapacity('orders', itemOf(2100)).writeUnits).toBe(3);
    expect(failedConditionCapacity('orders', undefined).writeUnits).toBe(1);
  });
});

describe('Function: queryCapacity / itemReadCapacity', () => {
  it('sums the items of a page before rounding', () => {
    // Prepare: three items of 1,500 bytes: 4,500 bytes → 2 units, not 3.
    const items = [itemOf(1500), itemOf(1500, 'o-2'), itemOf(1500, 'o-3')];

    expect(queryCapacity('orders', items, 3, true).readUnits).toBe(2);
    expect(queryCapacity('orders', items, 3, false).readUnits).toBe(1);
  });

  it('counts the items a filter dropped at the average size', () => {
    // 2 returned of 1,500 bytes, 4 scanned: 6,000 bytes → 2 units.
    expect(queryCapacity('orders', [itemOf(1500), itemOf(1500, 'o-2')], 4, true).readUnits).toBe(2);
  });

  it('charges a miss one read', () => {
    expect(itemReadCapacity('orders', undefined, false).readUnits).toBe(0.5);
    expect(itemReadCapacity('orders', itemOf(5000), true).readUnits).toBe(2);
  });
});

describe('Function: billedChunks / sqsRequestUse', () => {
  it('bills each started 64 KB', () => {
    expect(billedChunks(0)).toBe(1);
    expect(billedChunks(65_536)).toBe(1);
    expect(billedChunks(65_537)).toBe(2);
  });

  it('counts a message body and its attributes', () => {
    expect(
      messagePayloadBytes('abc', {
        eventType: { DataType: 'String', StringValue: 'OrderCreated' },
      }),
    ).toBe(3 + 9 + 6 + 12);
  });

  it('bills a batch per chunk of its total and a receive per chunk of what it returned', () => {
    const entries = Array.from({ length: 3 }, (_, i) => ({
      Id: `${i}`,
      MessageBody: 'x'.repeat(30_000),
    }));

    expect(sqsRequestUse('SendMessageBatch', { Entries: entries }, {}).billedRequests).toBe(2);
    const received = sqsRequestUse(
      'ReceiveMessage',
      {},
      {
        Messages: [
          { Body: 'x'.repeat(70_000), Attributes: { ApproximateReceiveCount: '1' } },
          { Body: 'y', Attributes: { ApproximateReceiveCount: '3' } },
        ],
      },
    );
    expect(received).toEqual({
      billedRequests: 2,
      emptyReceive: false,
      messagesReceived: 2,
      firstReceives: 1,
    });
  });

  it('bills an empty receive as one request and flags it', () => {
    expect(sqsRequestUse('ReceiveMessage', {}, {})).toEqual({
      billedRequests: 1,
      emptyReceive: true,
      messagesReceived: 0,
      firstReceives: 0,
    });
    expect(sqsRequestUse('DeleteMessageBatch', {}, {}).billedRequests).toBe(1);
  });
});

describe('Function: snsRequestUse / sesEmailsSent / s3RequestTier', () => {
  it('bills a publish per 64 KB of message and attributes', () => {
    const form = new URLSearchParams({
      Action: 'Publish',
      Message: 'x'.repeat(65_530),
      'MessageAttributes.entry.1.Name': 'eventType',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'OrderCreated',
    });

    // 65,530 + 9 + 6 + 12 > 65,536: two requests.
    expect(snsRequestUse('Publish', form)).toEqual({ billedRequests: 2, messagesPublished: 1 });
    expect(snsRequestUse('ListTopics', new URLSearchParams())).toEqual({
      billedRequests: 1,
      messagesPublished: 0,
    });
  });

  it('counts one email per recipient', () => {
    const body = JSON.stringify({
      Destination: {
        ToAddresses: ['a@example.com'],
        BccAddresses: ['b@example.com', 'c@example.com'],
      },
    });
    expect(sesEmailsSent({ method: 'POST', path: '/v2/email/outbound-emails', body })).toBe(3);
    const form = new URLSearchParams({
      Action: 'SendEmail',
      'Destination.ToAddresses.member.1': 'a@example.com',
    });
    expect(sesEmailsSent({ method: 'POST', path: '/', body: '' }, form)).toBe(1);
    expect(sesEmailsSent({ method: 'GET', path: '/v2/email/identities', body: '' })).toBe(0);
  });

  it('classes S3 requests as AWS prices them', () => {
    expect(s3RequestTier('PUT', '/media/uploads/a.jpg')).toBe(1);
    expect(s3RequestTier('GET', '/media?list-type=2')).toBe(1);
    expect(s3RequestTier('GET', '/media/uploads/a.jpg')).toBe(2);
    expect(s3RequestTier('HEAD', '/media/uploads/a.jpg')).toBe(2);
    expect(s3RequestTier('DELETE', '/media/uploads/a.jpg')).toBeUndefined();
  });
});

describe('Class: UsageRecorder', () => {
  const line = '(λ: getOrder) RequestId: r-1  Duration: 12.40 ms  Billed Duration: 13 ms';

  it('reads billed durations from serverless-offline lines, colours and all', () => {
    expect(loggedInvocation(`\u001b[90m${line}\u001b[39m`)).toEqual({
      functionKey: 'getOrder',
      requestId: 'r-1',
      durationMs: 12.4,
      billedMs: 13,
    });
    expect(loggedInvocation('{"level":"INFO","message":"Duration: 3 ms"}')).toBeUndefined();
  });

  it('counts an invocation once however many times its line is fed', () => {
    // Prepare
    const recorder = new UsageRecorder();

    // Act
    recorder.serviceLine('order', line);
    recorder.serviceLine('order', line);
    recorder.serviceLine('order', line.replace('r-1', 'r-2').replace('13 ms', '20 ms'));

    // Assess
    expect(recorder.snapshot().functions).toEqual([
      {
        name: 'getOrder',
        service: 'order',
        invocations: 2,
        billedMs: [13, 20],
        source: 'offline-log',
      },
    ]);
  });

  it('keeps units per table and caller, and forgets everything on reset', () => {
    const recorder = new UsageRecorder();
    const use = { table: 'orders', readUnits: 0.5, writeUnits: 0, indexWriteUnits: 0 };
    recorder.recordDynamoDb('shop-order-local-getOrder', [use, use]);
    recorder.recordApiRequest('GET /orders/{id}', 600 * 1024);
    expect(
      recorder.recordAwsRequest({ caller: undefined, service: 'sqs', action: 'SendMessage' }),
    ).toBe(false);

    expect(recorder.snapshot()).toMatchObject({
      dynamodb: {
        tables: [
          { table: 'orders', caller: 'shop-order-local-getOrder', requests: 1, readUnits: 1 },
        ],
      },
      apiGateway: { requests: 1, billedRequests: 2 },
      excludedRequests: 1,
    });
    recorder.reset();
    expect(recorder.snapshot()).toMatchObject({
      functions: [],
      dynamodb: { tables: [] },
      apiGateway: { requests: 0 },
      excludedRequests: 0,
    });
  });
});
