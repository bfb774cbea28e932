import { join } from 'node:path';
import { createDocumentClient } from '@shop/aws-adapters';
import { type DynamoDbForTests, declaredTable, startDynamoDbForTests } from '@shop/local-cloud';
import type { PaymentRecord } from '@shop/payment-domain';
import { DynamoDbPaymentRecords } from '../../src/adapters/DynamoDbPaymentRecords';

// Payment records against DynamoDB's behaviour (dynalite, in this process, on a free 127.0.0.1
// port): one record per order, written once, then moved on only from the state it was read in,
// so a redelivered or overtaken event never charges or refunds twice.
// The table is the one serverless.yml declares (PaymentsTable), read from it.

const TABLE = 'payments-int';

let dynamoDb: DynamoDbForTests;
let records: DynamoDbPaymentRecords;

beforeAll(async () => {
  dynamoDb = await startDynamoDbForTests([
    declaredTable(join(__dirname, '..', '..'), 'PaymentsTable', TABLE),
  ]);
  records = new DynamoDbPaymentRecords(createDocumentClient({ client: dynamoDb.client }), TABLE);
});

afterAll(() => dynamoDb?.stop());

const processed = (orderId: string): PaymentRecord => ({
  orderId,
  status: 'PROCESSED',
  paymentId: `pay-${orderId}`,
  amount: { amount: 4999, currency: 'EUR' },
  customerEmail: 'ada@example.com',
});

const refunded = (orderId: string): Extract<PaymentRecord, { status: 'REFUNDED' }> => ({
  orderId,
  status: 'REFUNDED',
  paymentId: `pay-${orderId}`,
  amount: { amount: 4999, currency: 'EUR' },
  refundId: `re-${orderId}`,
  charged: true,
});

describe('Class: DynamoDbPaymentRecords (on DynamoDB)', () => {
  it('stores the first record of an order and answers it', async () => {
    expect(await records.create(processed('order-1'))).toEqual(processed('order-1'));
    expect(await records.get('order-1')).toEqual(processed('order-1'));
  });

  it('keeps the first record when another arrives for the same order, and answers that one', async () => {
    // Prepare: the cancellation overtook OrderCreated.
    const cancelledFirst: PaymentRecord = { orderId: 'order-2', status: 'CANCELLED_FIRST' };
    await records.create(cancelledFirst);

    // Act: the late OrderCreated's charge tries to record itself.
    const stored = await records.create(processed('order-2'));

    // Assess
    expect(stored).toEqual(cancelledFirst);
    expect(await records.get('order-2')).toEqual(cancelledFirst);
  });

  it('moves a record on only from the state it was read in', async () => {
    // Prepare
    await records.create(processed('order-3'));

    // Act: two refunds of the same payment race; both read PROCESSED.
    const first = await records.transition('PROCESSED', refunded('order-3'));
    const second = await records.transition('PROCESSED', {
      ...refunded('order-3'),
      refundId: 're-second',
    });

    // Assess: the second is told what is stored and refunds nothing.
    expect(first).toEqual(refunded('order-3'));
    expect(second).toEqual(refunded('order-3'));
    expect(await records.get('order-3')).toEqual(refunded('order-3'));
  });

  it('answers undefined for an order it has no record of', async () => {
    expect(await records.get('order-unknown')).toBeUndefined();
  });
});
