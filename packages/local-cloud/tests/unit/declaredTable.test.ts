import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { declaredTable } from '../../src/testing/declaredTable';

// Integration tests create their tables from the service's own declaration, so what they test
// cannot drift from what deploys.

const REPO = join(__dirname, '..', '..', '..', '..');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'declared-table-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const service = (yaml: string) => {
  writeFileSync(join(dir, 'serverless.yml'), yaml);
  return dir;
};

describe('Function: declaredTable', () => {
  it("takes the order table's keys and indexes from services/order/serverless.yml", () => {
    // Act
    const table = declaredTable(join(REPO, 'services', 'order'), 'OrdersTable', 'orders-test');

    // Assess
    expect(table).toMatchObject({
      TableName: 'orders-test',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
    });
    expect(table.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([
      'byCustomer',
      'byOutbox',
    ]);
    expect(table).not.toHaveProperty('SSESpecification');
  });

  it('reads resources given as a list of blocks, past CloudFormation short forms', () => {
    // Prepare
    const serviceDir = service(`
service: probe
resources:
  - Resources:
      Queue:
        Type: AWS::SQS::Queue
        Properties: { QueueName: !Sub "\${AWS::StackName}-q" }
  - Resources:
      ThingsTable:
        Type: AWS::DynamoDB::Table
        Properties:
          TableName: \${self:service}-things
          AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
          KeySchema: [{ AttributeName: id, KeyType: HASH }]
`);

    // Act
    const table = declaredTable(serviceDir, 'ThingsTable', 'things');

    // Assess
    expect(table).toEqual({
      TableName: 'things',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
  });

  it('says so when the resource is missing or is not a table', () => {
    // Prepare
    const serviceDir = service(`
resources:
  Resources:
    Queue: { Type: AWS::SQS::Queue }
`);

    // Act / Assess
    expect(() => declaredTable(serviceDir, 'OrdersTable', 'x')).toThrow(
      'declares no resource OrdersTable',
    );
    expect(() => declaredTable(serviceDir, 'Queue', 'x')).toThrow(
      'Queue is a AWS::SQS::Queue, not a DynamoDB table',
    );
  });

  it('refuses a shape that holds a variable rather than guess its value', () => {
    // Prepare
    const serviceDir = service(`
resources:
  Resources:
    ThingsTable:
      Type: AWS::DynamoDB::Table
      Properties:
        AttributeDefinitions:
          - AttributeName: \${self:custom.key}
            AttributeType: S
        KeySchema:
          - AttributeName: \${self:custom.key}
            KeyType: HASH
`);

    // Act / Assess
    expect(() => declaredTable(serviceDir, 'ThingsTable', 'x')).toThrow('hold a variable');
  });
});
