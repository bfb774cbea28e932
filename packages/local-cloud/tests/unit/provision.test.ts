import { ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { DeliveryGate, ResourcePolicy } from '../../src/cloudformation/iamResources';
import { provisionStack } from '../../src/cloudformation/provision';
import type { CfnResource, CfnTemplate } from '../../src/cloudformation/template';
import { type FakeAnswers, fakeAwsClients } from '../helpers/fakeAwsClients';

const REGION = 'eu-west-1';
const STACK = 'shop-order-local';
const ENDPOINT = 'http://127.0.0.1:4566/000000000000';

/** Answers shaped like the emulators': ARNs and URLs from the names asked for. */
const emulatorAnswers: FakeAnswers = {
  CreateTopicCommand: ({ Name }) => ({ TopicArn: `arn:aws:sns:${REGION}:000000000000:${Name}` }),
  CreateQueueCommand: ({ QueueName }) => ({ QueueUrl: `${ENDPOINT}/${QueueName}` }),
  GetQueueAttributesCommand: ({ QueueUrl }) => ({
    Attributes: {
      QueueArn: `arn:aws:sqs:${REGION}:000000000000:${String(QueueUrl).split('/').at(-1)}`,
    },
  }),
  SubscribeCommand: ({ TopicArn }) => ({ SubscriptionArn: `${TopicArn}:sub-1` }),
  CreateUserPoolCommand: () => ({ UserPool: { Id: `${REGION}_Pool1` } }),
  CreateUserPoolClientCommand: ({ GenerateSecret }) => ({
    UserPoolClient: { ClientId: 'client-1', ...(GenerateSecret ? { ClientSecret: 's3cret' } : {}) },
  }),
};

async function provision(
  resources: Record<string, CfnResource>,
  extra: Partial<CfnTemplate> & {
    answers?: FakeAnswers;
    gate?: DeliveryGate;
    imports?: Map<string, string>;
  } = {},
) {
  const { answers, gate, imports, ...template } = extra;
  const { clients, sent } = fakeAwsClients({ ...emulatorAnswers, ...answers });
  const stack = await provisionStack(
    { Resources: resources, ...template },
    { stackName: STACK, region: REGION, clients, imports: imports ?? new Map(), gate },
  );
  const inputsOf = (command: string) =>
    sent.filter((sentCommand) => sentCommand.command === command).map(({ input }) => input);
  return { stack, sent, inputsOf };
}

/** A gate that allows delivery to the queues a recorded policy guards, nothing else. */
function policyGate(mode: DeliveryGate['mode']): DeliveryGate & { recorded: ResourcePolicy[] } {
  const recorded: ResourcePolicy[] = [];
  return {
    mode,
    recorded,
    record: (policy) => recorded.push(policy),
    allowsDelivery: async (_service, _source, queueArn) =>
      recorded.some((policy) => policy.resourceArns.includes(queueArn)),
  };
}

describe('Function: provisionStack', () => {
  describe('AWS::SNS::Topic', () => {
    it('creates the topic with its attributes as strings and answers Ref with its ARN', async () => {
      // Act
      const { stack, inputsOf } = await provision({
        Events: {
          Type: 'AWS::SNS::Topic',
          Properties: { TopicName: 'events.fifo', FifoTopic: true, DisplayName: 'Events' },
        },
        Unnamed: { Type: 'AWS::SNS::Topic' },
      });

      // Assess
      expect(inputsOf('CreateTopicCommand')).toEqual([
        { Name: 'events.fifo', Attributes: { FifoTopic: 'true', DisplayName: 'Events' } },
        { Name: `${STACK}-Unnamed`, Attributes: {} },
      ]);
      expect(stack.resources.get('Events')).toEqual({
        ref: `arn:aws:sns:${REGION}:000000000000:events.fifo`,
        attributes: {
          TopicArn: `arn:aws:sns:${REGION}:000000000000:events.fifo`,
          TopicName: 'events.fifo',
        },
      });
      expect(stack.created).toEqual(['AWS::SNS::Topic Events', 'AWS::SNS::Topic Unnamed']);
    });
  });

  describe('AWS::SQS::Queue', () => {
    it('creates the queue with numbers and the redrive policy as strings, and answers its URL and ARN', async () => {
      // Act
      const { stack, inputsOf } = await provision({
        Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders-dlq' } },
        Queue: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            QueueName: 'orders',
            VisibilityTimeout: 30,
            RedrivePolicy: {
              deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] },
              maxReceiveCount: 3,
            },
          },
        },
      });

      // Assess
      expect(inputsOf('CreateQueueCommand')).toContainEqual({
        QueueName: 'orders',
        Attributes: {
          VisibilityTimeout: '30',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: `arn:aws:sqs:${REGION}:000000000000:orders-dlq`,
            maxReceiveCount: 3,
          }),
        },
      });
      expect(stack.resources.get('Queue')).toEqual({
        ref: `${ENDPOINT}/orders`,
        attributes: {
          Arn: `arn:aws:sqs:${REGION}:000000000000:orders`,
          QueueName: 'orders',
          QueueUrl: `${ENDPOINT}/orders`,
        },
      });
    });

    it('creates a queue whose template declared it after the queue that refers to it', async () => {
      // Act
      const { stack } = await provision({
        Queue: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            QueueName: 'orders',
            RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
          },
        },
        Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders-dlq' } },
      });

      // Assess
      expect(stack.created).toEqual(['AWS::SQS::Queue Dlq', 'AWS::SQS::Queue Queue']);
      expect(stack.unsupported).toEqual([]);
    });
  });

  describe('AWS::SNS::Subscription', () => {
    const topicAndQueue: Record<string, CfnResource> = {
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'events' } },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'inventory' } },
      Subscription: {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'Topic' },
          Protocol: 'sqs',
          Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] },
          RawMessageDelivery: true,
          FilterPolicy: { eventType: ['OrderCreated'] },
        },
      },
    };
    const policy: CfnResource = {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: { Queues: [{ Ref: 'Queue' }], PolicyDocument: { Statement: [] } },
    };

    it('subscribes the queue with its filter policy as JSON and raw delivery as a string', async () => {
      // Act
      const { stack, inputsOf } = await provision(topicAndQueue);

      // Assess
      expect(inputsOf('SubscribeCommand')).toEqual([
        {
          TopicArn: `arn:aws:sns:${REGION}:000000000000:events`,
          Protocol: 'sqs',
          Endpoint: `arn:aws:sqs:${REGION}:000000000000:inventory`,
          ReturnSubscriptionArn: true,
          Attributes: {
            FilterPolicy: '{"eventType":["OrderCreated"]}',
            RawMessageDelivery: 'true',
          },
        },
      ]);
      expect(stack.created).toContain('AWS::SNS::Subscription Subscription');
    });

    it('does not subscribe a queue whose policy refuses the topic when IAM is enforced', async () => {
      // Act
      const { stack, inputsOf } = await provision(topicAndQueue, { gate: policyGate('enforce') });

      // Assess
      expect(inputsOf('SubscribeCommand')).toEqual([]);
      expect(stack.created).not.toContain('AWS::SNS::Subscription Subscription');
      expect(stack.refusedDeliveries).toEqual([
        expect.stringMatching(
          /^Subscription: the policy of queue inventory does not allow topic events .*; not subscribed$/,
        ),
      ]);
    });

    it('subscribes it anyway, and says so, in warn mode', async () => {
      // Act
      const { stack, inputsOf } = await provision(topicAndQueue, { gate: policyGate('warn') });

      // Assess
      expect(inputsOf('SubscribeCommand')).toHaveLength(1);
      expect(stack.refusedDeliveries).toEqual([
        expect.stringMatching(/subscribed anyway \(LOCAL_CLOUD_IAM=warn\)$/),
      ]);
    });

    it('records the queue policy before subscribing, wherever the template declares it', async () => {
      // Prepare: the policy comes last in the template
      const gate = policyGate('enforce');

      // Act
      const { stack, inputsOf } = await provision({ ...topicAndQueue, Policy: policy }, { gate });

      // Assess
      expect(gate.recorded).toEqual([
        expect.objectContaining({
          logicalId: 'Policy',
          resourceArns: [`arn:aws:sqs:${REGION}:000000000000:inventory`],
        }),
      ]);
      expect(inputsOf('SubscribeCommand')).toHaveLength(1);
      expect(stack.resourcePolicies).toHaveLength(1);
      expect(stack.refusedDeliveries).toEqual([]);
    });
  });

  describe('AWS::DynamoDB::Table', () => {
    const keys = {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byCustomer',
          KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    };

    it('creates an on-demand table without throughput, and answers its name and ARNs', async () => {
      // Act
      const { stack, inputsOf } = await provision({
        Orders: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { TableName: 'orders', BillingMode: 'PAY_PER_REQUEST', ...keys },
        },
      });

      // Assess
      const [input] = inputsOf('CreateTableCommand');
      expect(input).toMatchObject({ TableName: 'orders', BillingMode: 'PAY_PER_REQUEST' });
      expect(input).not.toHaveProperty('ProvisionedThroughput');
      expect(input?.GlobalSecondaryIndexes).toEqual([
        expect.not.objectContaining({ ProvisionedThroughput: expect.anything() }),
      ]);
      expect(stack.resources.get('Orders')).toEqual({
        ref: 'orders',
        attributes: {
          Arn: `arn:aws:dynamodb:${REGION}:000000000000:table/orders`,
          StreamArn: `arn:aws:dynamodb:${REGION}:000000000000:table/orders/stream/local`,
        },
      });
    });

    it('gives a provisioned table and its indexes 5/5 throughput unless the template says otherwise', async () => {
      // Act
      const { inputsOf } = await provision({
        Orders: { Type: 'AWS::DynamoDB::Table', Properties: keys },
      });

      // Assess
      const [input] = inputsOf('CreateTableCommand');
      const fiveFive = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
      expect(input).toMatchObject({
        TableName: `${STACK}-Orders`,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: fiveFive,
        GlobalSecondaryIndexes: [expect.objectContaining({ ProvisionedThroughput: fiveFive })],
      });
    });

    it('keeps a table that already exists (a second start on the same data)', async () => {
      // Act
      const { stack } = await provision(
        { Orders: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders', ...keys } } },
        {
          answers: {
            CreateTableCommand: () => {
              throw new ResourceInUseException({ message: 'Table already exists', $metadata: {} });
            },
          },
        },
      );

      // Assess
      expect(stack.created).toEqual(['AWS::DynamoDB::Table Orders']);
    });

    it('fails naming the stack and resource when the emulator refuses the table', async () => {
      // Act
      const provisioning = provision(
        { Orders: { Type: 'AWS::DynamoDB::Table', Properties: keys } },
        {
          answers: {
            CreateTableCommand: () => {
              throw new Error('KeySchema is invalid');
            },
          },
        },
      );

      // Assess
      await expect(provisioning).rejects.toThrow(
        `${STACK}: creating AWS::DynamoDB::Table Orders failed: KeySchema is invalid`,
      );
    });
  });

  describe('AWS::S3::Bucket', () => {
    const bucketWithNotification = (queueLogicalId: string): Record<string, CfnResource> => ({
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'uploads' } },
      Media: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          NotificationConfiguration: {
            QueueConfigurations: [
              { Event: 's3:ObjectCreated:*', Queue: { 'Fn::GetAtt': [queueLogicalId, 'Arn'] } },
            ],
          },
        },
      },
    });

    it('creates a lower-case named bucket and keeps its notifications for the gateway to deliver', async () => {
      // Act
      const { stack, inputsOf } = await provision(bucketWithNotification('Queue'));

      // Assess
      const name = `${STACK}-media`;
      expect(inputsOf('CreateBucketCommand')).toEqual([{ Bucket: name }]);
      expect(stack.resources.get('Media')?.attributes).toEqual({
        Arn: `arn:aws:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.${REGION}.amazonaws.com`,
      });
      expect(stack.bucketNotifications).toEqual([
        {
          bucket: name,
          configuration: {
            QueueConfigurations: [
              { Event: 's3:ObjectCreated:*', Queue: `arn:aws:sqs:${REGION}:000000000000:uploads` },
            ],
          },
        },
      ]);
    });

    it('drops a notification whose queue policy refuses the bucket when IAM is enforced', async () => {
      // Act
      const { stack } = await provision(bucketWithNotification('Queue'), {
        gate: policyGate('enforce'),
      });

      // Assess
      expect(stack.bucketNotifications[0]?.configuration.QueueConfigurations).toEqual([]);
      expect(stack.refusedDeliveries).toEqual([
        expect.stringMatching(/^bucket shop-order-local-media → queue uploads: .*; not delivered$/),
      ]);
    });

    it('keeps it, and says so, in warn mode', async () => {
      // Act
      const { stack } = await provision(bucketWithNotification('Queue'), {
        gate: policyGate('warn'),
      });

      // Assess
      expect(stack.bucketNotifications[0]?.configuration.QueueConfigurations).toHaveLength(1);
      expect(stack.refusedDeliveries).toEqual([expect.stringMatching(/delivered anyway/)]);
    });
  });

  describe('AWS::Cognito::*', () => {
    it('creates the pool with the properties CreateUserPool takes, its client and group', async () => {
      // Act
      const { stack, inputsOf } = await provision({
        Pool: {
          Type: 'AWS::Cognito::UserPool',
          Properties: {
            UserPoolName: 'shop-users',
            UsernameAttributes: ['email'],
            EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
            LambdaConfig: { PreSignUp: 'arn:aws:lambda:x' },
          },
        },
        Client: {
          Type: 'AWS::Cognito::UserPoolClient',
          Properties: {
            UserPoolId: { Ref: 'Pool' },
            GenerateSecret: true,
            ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
          },
        },
        Admins: {
          Type: 'AWS::Cognito::UserPoolGroup',
          Properties: { UserPoolId: { Ref: 'Pool' }, GroupName: 'admin', Precedence: '1' },
        },
      });

      // Assess
      expect(inputsOf('CreateUserPoolCommand')).toEqual([
        {
          PoolName: 'shop-users',
          UsernameAttributes: ['email'],
          LambdaConfig: { PreSignUp: 'arn:aws:lambda:x' },
        },
      ]);
      expect(inputsOf('CreateUserPoolClientCommand')).toEqual([
        {
          UserPoolId: `${REGION}_Pool1`,
          ClientName: 'Client',
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
        },
      ]);
      expect(inputsOf('CreateGroupCommand')).toEqual([
        expect.objectContaining({
          GroupName: 'admin',
          UserPoolId: `${REGION}_Pool1`,
          Precedence: 1,
        }),
      ]);
      expect(stack.resources.get('Pool')?.attributes).toMatchObject({
        ProviderURL: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Pool1`,
        UserPoolId: `${REGION}_Pool1`,
      });
      expect(stack.resources.get('Client')).toEqual({
        ref: 'client-1',
        attributes: { ClientId: 'client-1', Name: 'Client', ClientSecret: 's3cret' },
      });
      expect(stack.unsupported).toEqual([
        'AWS::Cognito::UserPool Pool: Lambda triggers are not invoked locally',
      ]);
    });
  });

  describe('AWS::Lambda::*', () => {
    it('records each function with its role, not as created (serverless-offline runs it)', async () => {
      // Act
      const { stack, sent } = await provision({
        Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'order-role' } },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            FunctionName: 'shop-order-local-create',
            Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          },
        },
      });

      // Assess
      expect(sent).toEqual([]);
      expect(stack.functionRoles).toEqual([
        {
          functionName: 'shop-order-local-create',
          roleArn: 'arn:aws:iam::000000000000:role/order-role',
        },
      ]);
      expect(stack.created).toEqual([]);
      expect(stack.roles).toEqual([
        expect.objectContaining({ logicalId: 'Role', name: 'order-role' }),
      ]);
      expect(stack.resources.get('Fn')?.attributes.Arn).toBe(
        `arn:aws:lambda:${REGION}:000000000000:function:shop-order-local-create`,
      );
    });

    it('records event source mappings with Lambda defaults and the function name from its ARN', async () => {
      // Act
      const { stack } = await provision({
        Plain: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            FunctionName: 'arn:aws:lambda:x:0:function:plain',
            EventSourceArn: 'arn:q1',
          },
        },
        Tuned: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            FunctionName: 'tuned',
            EventSourceArn: 'arn:q2',
            BatchSize: '25',
            MaximumBatchingWindowInSeconds: 2,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
            Enabled: 'false',
          },
        },
      });

      // Assess
      expect(stack.eventSourceMappings).toEqual([
        {
          logicalId: 'Plain',
          functionName: 'plain',
          queueArn: 'arn:q1',
          batchSize: 10,
          maximumBatchingWindowSeconds: 0,
          reportBatchItemFailures: false,
          enabled: true,
        },
        {
          logicalId: 'Tuned',
          functionName: 'tuned',
          queueArn: 'arn:q2',
          batchSize: 25,
          maximumBatchingWindowSeconds: 2,
          reportBatchItemFailures: true,
          enabled: false,
        },
      ]);
    });
  });

  describe('resources with nothing to create locally', () => {
    it('answers Ref and GetAtt of AWS-only resources with markers, and reports unknown types', async () => {
      // Act
      const { stack, sent } = await provision({
        Api: { Type: 'AWS::ApiGatewayV2::Api' },
        ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket' },
        Uses: {
          Type: 'AWS::SNS::Topic',
          Properties: {
            TopicName: {
              'Fn::Join': ['|', [{ Ref: 'Api' }, { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] }]],
            },
          },
        },
        Machine: { Type: 'AWS::StepFunctions::StateMachine' },
      });

      // Assess
      expect(sent.map(({ command }) => command)).toEqual(['CreateTopicCommand']);
      expect(stack.resources.get('Uses')?.attributes.TopicName).toBe(
        'local:Api|local:Api.ApiEndpoint',
      );
      expect(stack.unsupported).toEqual([
        'AWS::StepFunctions::StateMachine Machine: resource type AWS::StepFunctions::StateMachine is not emulated locally',
      ]);
    });

    it('reports references that never resolve instead of waiting for ever', async () => {
      // Act
      const { stack } = await provision({
        Queue: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: { 'Fn::GetAtt': ['Ghost', 'QueueName'] } },
        },
      });

      // Assess
      expect(stack.unsupported).toEqual([
        'unresolvable reference: Queue: Fn::GetAtt Ghost.QueueName: not created yet',
      ]);
    });
  });

  describe('Conditions', () => {
    const conditions = {
      IsProd: { 'Fn::Equals': [{ Ref: 'AWS::StackName' }, 'shop-order-prod'] },
      IsLocal: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    };

    it('creates only the resources whose condition holds', async () => {
      // Act
      const { stack, inputsOf } = await provision(
        {
          ProdTopic: {
            Type: 'AWS::SNS::Topic',
            Condition: 'IsProd',
            Properties: { TopicName: 'prod' },
          },
          LocalTopic: {
            Type: 'AWS::SNS::Topic',
            Condition: 'IsLocal',
            Properties: { TopicName: 'local' },
          },
        },
        { Conditions: conditions },
      );

      // Assess
      expect(inputsOf('CreateTopicCommand').map(({ Name }) => Name)).toEqual(['local']);
      expect(stack.resources.has('ProdTopic')).toBe(false);
      expect(stack.unsupported).toEqual([]);
    });

    it('leaves out a property set to AWS::NoValue by Fn::If', async () => {
      // Act
      const { inputsOf } = await provision(
        {
          Queue: {
            Type: 'AWS::SQS::Queue',
            Properties: {
              QueueName: 'orders',
              DelaySeconds: { 'Fn::If': ['IsProd', 5, { Ref: 'AWS::NoValue' }] },
              VisibilityTimeout: { 'Fn::If': ['IsLocal', 10, 60] },
            },
          },
        },
        { Conditions: conditions },
      );

      // Assess
      expect(inputsOf('CreateQueueCommand')).toEqual([
        { QueueName: 'orders', Attributes: { VisibilityTimeout: '10' } },
      ]);
    });

    it('reports a reference to a resource its condition left out, and a condition it cannot evaluate', async () => {
      // Act
      const { stack } = await provision(
        {
          ProdTopic: { Type: 'AWS::SNS::Topic', Condition: 'IsProd' },
          Subscription: {
            Type: 'AWS::SNS::Subscription',
            Properties: { TopicArn: { Ref: 'ProdTopic' }, Protocol: 'sqs', Endpoint: 'arn:q' },
          },
          Odd: { Type: 'AWS::SNS::Topic', Condition: 'NotDefined' },
        },
        { Conditions: conditions },
      );

      // Assess
      expect(stack.unsupported).toEqual([
        'AWS::SNS::Topic Odd: condition NotDefined is not defined in Conditions',
        'AWS::SNS::Subscription Subscription: Ref ProdTopic: not created, its condition IsProd is false',
      ]);
    });

    it('exports only the outputs whose condition holds', async () => {
      // Act
      const { stack } = await provision(
        { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'events' } } },
        {
          Conditions: conditions,
          Outputs: {
            TopicArn: {
              Value: { Ref: 'Topic' },
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not JavaScript.
              Export: { Name: { 'Fn::Sub': '${AWS::StackName}-TopicArn' } },
            },
            ProdOnly: { Value: 'x', Export: { Name: 'prod-only' }, Condition: 'IsProd' },
            NotExported: { Value: 'y' },
            Broken: { Value: { Ref: 'Nothing' }, Export: { Name: 'broken' } },
          },
        },
      );

      // Assess
      expect([...stack.exports]).toEqual([
        [`${STACK}-TopicArn`, `arn:aws:sns:${REGION}:000000000000:events`],
      ]);
      expect(stack.unsupported).toEqual(['Output Broken: Ref Nothing: not created yet']);
    });
  });

  it('lists every declared resource type by logical id, for seed files', async () => {
    // Act
    const { stack } = await provision(
      {
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [] } },
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Condition: 'Never' },
      },
      { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } },
    );

    // Assess
    expect([...stack.resourceTypes]).toEqual([
      ['Table', 'AWS::DynamoDB::Table'],
      ['Alarm', 'AWS::CloudWatch::Alarm'],
    ]);
  });
});
