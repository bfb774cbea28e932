import type { CfnTemplate } from '@shop/local-cloud';
import { packagedFunctions, resolveIntrinsic } from '../../src/bench/lambdaEnvironment';

const template: CfnTemplate = {
  Resources: {
    EventsQueue: { Type: 'AWS::SQS::Queue' },
    OrdersTable: { Type: 'AWS::DynamoDB::Table' },
    CreateOrderLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Handler: 'src/functions/createOrder/handler.handler',
        Runtime: 'nodejs22.x',
        MemorySize: 256,
        FunctionName: 'shop-order-local-createOrder',
        Code: {
          S3Bucket: { Ref: 'ServerlessDeploymentBucket' },
          S3Key: 'serverless/x/createOrder.zip',
        },
        Environment: {
          Variables: {
            ORDERS_TABLE: 'shop-order-local-orders',
            EVENTS_QUEUE_URL: { Ref: 'EventsQueue' },
            EVENT_BUS_TOPIC_ARN: { 'Fn::ImportValue': 'shop-event-bus-local-EventBusTopicArn' },
            POWERTOOLS_TRACE_ENABLED: 'false',
          },
        },
      },
    },
  },
};

describe('Function: resolveIntrinsic', () => {
  it('gives each intrinsic a placeholder shaped like its deployed value', () => {
    // Act & Assess
    expect(resolveIntrinsic({ Ref: 'EventsQueue' }, template, 'eu-west-1')).toMatch(
      /^https:\/\/sqs\.eu-west-1\.amazonaws\.com\/\d{12}\//,
    );
    expect(
      resolveIntrinsic({ 'Fn::GetAtt': ['OrdersTable', 'Arn'] }, template, 'eu-west-1'),
    ).toMatch(/^arn:aws:[^:]+:eu-west-1:\d{12}:/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own ${} syntax.
    const sub = { 'Fn::Sub': 'arn:aws:s3:::${AWS::Region}-media/*' };
    expect(resolveIntrinsic(sub, template, 'eu-west-1')).toBe('arn:aws:s3:::eu-west-1-media/*');
  });
});

describe('Function: packagedFunctions', () => {
  it('gives a function its own variables over the runtime ones, tracing configured as packaged', () => {
    // Act
    const [fn] = packagedFunctions(template, 'eu-west-1', (zip) => `/tmp/${zip}`);

    // Assess
    expect(fn).toMatchObject({
      handler: 'src/functions/createOrder/handler.handler',
      zipName: 'createOrder.zip',
    });
    expect(fn?.environment).toMatchObject({
      ORDERS_TABLE: 'shop-order-local-orders',
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: 'shop-order-local-createOrder',
      LAMBDA_TASK_ROOT: '/tmp/createOrder.zip',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    });
    expect(fn?.environment.EVENT_BUS_TOPIC_ARN).toMatch(/^arn:aws:/);
    expect(fn?.environment._X_AMZN_TRACE_ID).toMatch(/^Root=1-/);
  });
});
