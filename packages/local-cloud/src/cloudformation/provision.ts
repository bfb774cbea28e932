import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  collectRoles,
  type DeliveryGate,
  IAM_RECORDED_TYPES,
  isResourcePolicyType,
  type LocalRole,
  type ResourcePolicy,
  resourcePolicyOf,
  rolePhysical,
} from './iamResources';
import {
  evaluateCondition,
  type ResolveContext,
  resolveIntrinsics,
  UnresolvedError,
} from './intrinsics';
import {
  type CfnProperties,
  type CfnResource,
  type CfnTemplate,
  LOCAL_ACCOUNT_ID,
  type PhysicalResource,
} from './template';

export interface AwsClients {
  sns: SNSClient;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  cognito: CognitoIdentityProviderClient;
}

/** SDK clients for the local AWS endpoint, with throwaway credentials (nothing checks them). */
export function awsClients(endpoint: string, region: string): AwsClients {
  const config = {
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return {
    sns: new SNSClient(config),
    sqs: new SQSClient(config),
    dynamodb: new DynamoDBClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    cognito: new CognitoIdentityProviderClient(config),
  };
}

/** An SQS → Lambda event source mapping as declared in the template, with names resolved. */
export interface EventSourceMapping {
  logicalId: string;
  functionName: string;
  queueArn: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  enabled: boolean;
}

export interface ProvisionedStack {
  stackName: string;
  resources: Map<string, PhysicalResource>;
  /** The type of every resource the template declares, by logical id (what seed files name). */
  resourceTypes: Map<string, string>;
  /** Export name → value, for later stacks' Fn::ImportValue. */
  exports: Map<string, string>;
  eventSourceMappings: EventSourceMapping[];
  /** Buckets' NotificationConfiguration, resolved; the local cloud delivers these itself. */
  bucketNotifications: { bucket: string; configuration: CfnProperties }[];
  /** Resources created in the emulators, as `Type LogicalId`. */
  created: string[];
  /** What the local cloud cannot reproduce, by name; printed at start. */
  unsupported: string[];
  /** IAM roles with their policies, resolved: what the AWS endpoint evaluates functions against. */
  roles: LocalRole[];
  /** Each function's deployed name and the ARN of the role it runs under. */
  functionRoles: { functionName: string; roleArn: string }[];
  /** Queue, topic and bucket policies, resolved. */
  resourcePolicies: ResourcePolicy[];
  /** Subscriptions and bucket notifications a queue's policy refuses, by name; printed at start. */
  refusedDeliveries: string[];
}

/** Types that need nothing locally: serverless-offline plays their part, or they only matter on AWS. */
const NOT_NEEDED_LOCALLY = new Set([
  'AWS::Logs::LogGroup',
  'AWS::Lambda::Version',
  'AWS::Lambda::Permission',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Stage',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  // Enforced by the base URL from the template itself (gateway/httpRouter.ts), not provisioned.
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::Events::Rule',
  'AWS::CloudWatch::Alarm',
  // Encrypts the alarm topic on AWS; the emulated topic takes any key id and encrypts nothing.
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
]);

/**
 * Creates in the emulators, through their AWS APIs, every resource a packaged stack declares,
 * resolving intrinsics against this stack and the exports of stacks provisioned before it.
 * Resources are retried until their references exist, so template order does not matter.
 * IAM roles and resource policies are recorded; with a `gate`, a queue whose policy does not let
 * the topic (or bucket) send to it is not subscribed (gets no notifications), as on AWS.
 */
export async function provisionStack(
  template: CfnTemplate,
  options: {
    stackName: string;
    region: string;
    clients: AwsClients;
    imports: ReadonlyMap<string, string>;
    gate?: DeliveryGate;
  },
): Promise<ProvisionedStack> {
  const stack: ProvisionedStack = {
    stackName: options.stackName,
    resources: new Map(),
    resourceTypes: new Map(
      Object.entries(template.Resources).map(([logicalId, resource]) => [logicalId, resource.Type]),
    ),
    exports: new Map(),
    eventSourceMappings: [],
    bucketNotifications: [],
    created: [],
    unsupported: [],
    roles: [],
    functionRoles: [],
    resourcePolicies: [],
    refusedDeliveries: [],
  };
  const excluded = new Map<string, string>();
  const context: ResolveContext = {
    region: options.region,
    stackName: options.stackName,
    resources: stack.resources,
    exports: options.imports,
    conditions: template.Conditions ?? {},
    excluded,
  };
  const included = includedResources(template, context, excluded, stack.unsupported);

  const gate = options.gate?.mode === 'off' ? undefined : options.gate;
  let pending = Object.entries(included);
  while (pending.length > 0) {
    const waiting: typeof pending = [];
    const reasons: string[] = [];
    // Queue policies first, and subscriptions only once none is left waiting: whether SNS may
    // deliver to a queue is its policy's say.
    const ordered = [...pending].sort(
      ([, a], [, b]) =>
        Number(b.Type === 'AWS::SQS::QueuePolicy') - Number(a.Type === 'AWS::SQS::QueuePolicy'),
    );
    for (const [logicalId, resource] of ordered) {
      const policyWaiting = waiting.find(([, r]) => r.Type === 'AWS::SQS::QueuePolicy');
      if (gate && resource.Type === 'AWS::SNS::Subscription' && policyWaiting) {
        waiting.push([logicalId, resource]);
        reasons.push(`${logicalId}: waits for queue policy ${policyWaiting[0]}`);
        continue;
      }
      try {
        await provisionResource(logicalId, resource, context, options.clients, stack, gate);
      } catch (error) {
        if (error instanceof UnresolvedError && error.kind === 'pending') {
          waiting.push([logicalId, resource]);
          reasons.push(`${logicalId}: ${error.message}`);
        } else if (error instanceof UnresolvedError) {
          stack.unsupported.push(`${resource.Type} ${logicalId}: ${error.message}`);
        } else {
          throw new Error(
            `${options.stackName}: creating ${resource.Type} ${logicalId} failed: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
        }
      }
    }
    if (waiting.length === pending.length) {
      stack.unsupported.push(...reasons.map((reason) => `unresolvable reference: ${reason}`));
      break;
    }
    pending = waiting;
  }

  const { roles, problems } = collectRoles(included, context);
  stack.roles = roles;
  stack.unsupported.push(...problems);
  if (gate) await refuseNotificationsByQueuePolicy(stack, gate);

  // Only exported outputs matter locally: they are what other stacks import.
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (!output.Export) continue;
    try {
      if (output.Condition !== undefined && !evaluateCondition(output.Condition, context)) continue;
      stack.exports.set(
        String(resolveIntrinsics(output.Export.Name, context)),
        String(resolveIntrinsics(output.Value, context)),
      );
    } catch (error) {
      stack.unsupported.push(`Output ${name}: ${(error as Error).message}`);
    }
  }
  return stack;
}

/**
 * The resources whose `Condition` holds (or that have none). The others are left out, as
 * CloudFormation leaves them out, and recorded in `excluded`; a condition that cannot be
 * evaluated leaves its resource out too, reported as unsupported.
 */
function includedResources(
  template: CfnTemplate,
  context: ResolveContext,
  excluded: Map<string, string>,
  unsupported: string[],
): Record<string, CfnResource> {
  const included: Record<string, CfnResource> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Condition === undefined) {
      included[logicalId] = resource;
      continue;
    }
    try {
      if (evaluateCondition(resource.Condition, context)) {
        included[logicalId] = resource;
        continue;
      }
    } catch (error) {
      if (!(error instanceof UnresolvedError)) throw error;
      unsupported.push(`${resource.Type} ${logicalId}: ${error.message}`);
    }
    excluded.set(logicalId, resource.Condition);
  }
  return included;
}

async function provisionResource(
  logicalId: string,
  resource: CfnResource,
  context: ResolveContext,
  clients: AwsClients,
  stack: ProvisionedStack,
  gate: DeliveryGate | undefined,
): Promise<void> {
  if (NOT_NEEDED_LOCALLY.has(resource.Type) || logicalId === 'ServerlessDeploymentBucket') {
    // Nothing to create, but others may still refer to it (a function's code bucket, an API id).
    stack.resources.set(logicalId, placeholder(logicalId));
    return;
  }
  if (IAM_RECORDED_TYPES.has(resource.Type)) {
    // A role's policies are resolved once everything else exists (collectRoles): they may name
    // any resource, and a function refers to its role before that.
    if (resource.Type === 'AWS::IAM::Role') {
      stack.resources.set(logicalId, rolePhysical(logicalId, resource, context));
    } else if (isResourcePolicyType(resource.Type)) {
      const policy = resourcePolicyOf(logicalId, resource, context);
      // A policy of what exists only on AWS (the deployment bucket) guards nothing here.
      if (policy.resourceArns.length > 0) {
        stack.resourcePolicies.push(policy);
        gate?.record(policy);
      }
      stack.resources.set(logicalId, { ref: `local:${logicalId}`, attributes: {} });
    } else {
      stack.resources.set(logicalId, placeholder(logicalId));
    }
    return;
  }
  const properties = resolveIntrinsics(resource.Properties ?? {}, context) as CfnProperties;
  const physical = await create(
    logicalId,
    resource.Type,
    properties,
    context,
    clients,
    stack,
    gate,
  );
  if (physical) {
    stack.resources.set(logicalId, physical);
    if (resource.Type !== 'AWS::Lambda::Function' && !physical.ref.startsWith('local:refused:'))
      stack.created.push(`${resource.Type} ${logicalId}`);
  }
}

async function create(
  logicalId: string,
  type: string,
  properties: CfnProperties,
  context: ResolveContext,
  clients: AwsClients,
  stack: ProvisionedStack,
  gate: DeliveryGate | undefined,
): Promise<PhysicalResource | undefined> {
  switch (type) {
    case 'AWS::SNS::Topic': {
      const name = properties.TopicName ?? `${context.stackName}-${logicalId}`;
      const { TopicArn } = await clients.sns.send(
        new CreateTopicCommand({
          Name: name,
          Attributes: stringAttributes({
            DisplayName: properties.DisplayName,
            KmsMasterKeyId: properties.KmsMasterKeyId,
            FifoTopic: properties.FifoTopic,
            ContentBasedDeduplication: properties.ContentBasedDeduplication,
          }),
        }),
      );
      const arn = TopicArn ?? '';
      return { ref: arn, attributes: { TopicArn: arn, TopicName: name } };
    }
    case 'AWS::SQS::Queue': {
      const name = properties.QueueName ?? `${context.stackName}-${logicalId}`;
      const { QueueUrl } = await clients.sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: stringAttributes({
            VisibilityTimeout: properties.VisibilityTimeout,
            MessageRetentionPeriod: properties.MessageRetentionPeriod,
            DelaySeconds: properties.DelaySeconds,
            MaximumMessageSize: properties.MaximumMessageSize,
            ReceiveMessageWaitTimeSeconds: properties.ReceiveMessageWaitTimeSeconds,
            RedrivePolicy: properties.RedrivePolicy,
            FifoQueue: properties.FifoQueue,
            ContentBasedDeduplication: properties.ContentBasedDeduplication,
          }),
        }),
      );
      const { Attributes } = await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      const url = QueueUrl ?? '';
      return {
        ref: url,
        attributes: { Arn: Attributes?.QueueArn ?? '', QueueName: name, QueueUrl: url },
      };
    }
    case 'AWS::SNS::Subscription': {
      if (gate && properties.Protocol === 'sqs') {
        const topicArn = String(properties.TopicArn);
        const queueArn = String(properties.Endpoint);
        if (!(await gate.allowsDelivery('sns.amazonaws.com', topicArn, queueArn))) {
          const refused = `${logicalId}: the policy of queue ${queueArn.split(':').at(-1)} does not allow topic ${topicArn.split(':').at(-1)} (sqs:SendMessage with aws:SourceArn), so SNS delivers nothing to it`;
          stack.refusedDeliveries.push(
            gate.mode === 'enforce'
              ? `${refused}; not subscribed`
              : `${refused}; subscribed anyway (LOCAL_CLOUD_IAM=warn)`,
          );
          if (gate.mode === 'enforce') return { ref: `local:refused:${logicalId}`, attributes: {} };
        }
      }
      const { SubscriptionArn } = await clients.sns.send(
        new SubscribeCommand({
          TopicArn: properties.TopicArn,
          Protocol: properties.Protocol,
          Endpoint: properties.Endpoint,
          ReturnSubscriptionArn: true,
          Attributes: stringAttributes({
            FilterPolicy: properties.FilterPolicy,
            FilterPolicyScope: properties.FilterPolicyScope,
            RawMessageDelivery: properties.RawMessageDelivery,
            RedrivePolicy: properties.RedrivePolicy,
          }),
        }),
      );
      return { ref: SubscriptionArn ?? '', attributes: {} };
    }
    case 'AWS::DynamoDB::Table': {
      const name = properties.TableName ?? `${context.stackName}-${logicalId}`;
      try {
        await clients.dynamodb.send(new CreateTableCommand(tableInput(name, properties)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      const arn = `arn:aws:dynamodb:${context.region}:${LOCAL_ACCOUNT_ID}:table/${name}`;
      return { ref: name, attributes: { Arn: arn, StreamArn: `${arn}/stream/local` } };
    }
    case 'AWS::S3::Bucket': {
      const name = properties.BucketName ?? `${context.stackName}-${logicalId}`.toLowerCase();
      await clients.s3.send(new CreateBucketCommand({ Bucket: name }));
      if (properties.NotificationConfiguration) {
        stack.bucketNotifications.push({
          bucket: name,
          configuration: properties.NotificationConfiguration,
        });
      }
      return {
        ref: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${context.region}.amazonaws.com`,
        },
      };
    }
    case 'AWS::Cognito::UserPool': {
      const name = properties.UserPoolName ?? `${context.stackName}-${logicalId}`;
      const { UserPool } = await clients.cognito.send(
        new CreateUserPoolCommand(userPoolInput(name, properties)),
      );
      const id = UserPool?.Id ?? '';
      if (properties.LambdaConfig && Object.keys(properties.LambdaConfig).length > 0)
        stack.unsupported.push(`${type} ${logicalId}: Lambda triggers are not invoked locally`);
      return {
        ref: id,
        attributes: {
          Arn: `arn:aws:cognito-idp:${context.region}:${LOCAL_ACCOUNT_ID}:userpool/${id}`,
          ProviderName: `cognito-idp.${context.region}.amazonaws.com/${id}`,
          ProviderURL: `https://cognito-idp.${context.region}.amazonaws.com/${id}`,
          UserPoolId: id,
        },
      };
    }
    case 'AWS::Cognito::UserPoolClient': {
      const name = properties.ClientName ?? logicalId;
      const { UserPoolClient } = await clients.cognito.send(
        new CreateUserPoolClientCommand({
          ...pick(properties, USER_POOL_CLIENT_PROPERTIES),
          UserPoolId: properties.UserPoolId,
          ClientName: name,
        }),
      );
      const id = UserPoolClient?.ClientId ?? '';
      return {
        ref: id,
        attributes: {
          ClientId: id,
          Name: name,
          ...(UserPoolClient?.ClientSecret ? { ClientSecret: UserPoolClient.ClientSecret } : {}),
        },
      };
    }
    case 'AWS::Cognito::UserPoolGroup': {
      const name = properties.GroupName ?? `${context.stackName}-${logicalId}`;
      await clients.cognito.send(
        new CreateGroupCommand({
          GroupName: name,
          UserPoolId: properties.UserPoolId,
          Description: properties.Description,
          Precedence:
            properties.Precedence === undefined ? undefined : Number(properties.Precedence),
          RoleArn: properties.RoleArn,
        }),
      );
      return { ref: name, attributes: {} };
    }
    case 'AWS::Lambda::Function': {
      const name = String(properties.FunctionName);
      stack.functionRoles.push({ functionName: name, roleArn: String(properties.Role) });
      return {
        ref: name,
        attributes: {
          Arn: `arn:aws:lambda:${context.region}:${LOCAL_ACCOUNT_ID}:function:${name}`,
        },
      };
    }
    case 'AWS::Lambda::EventSourceMapping': {
      const functionName = String(properties.FunctionName).split(':').at(-1) ?? '';
      stack.eventSourceMappings.push({
        logicalId,
        functionName,
        queueArn: String(properties.EventSourceArn),
        batchSize: Number(properties.BatchSize ?? 10),
        maximumBatchingWindowSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
        reportBatchItemFailures: (properties.FunctionResponseTypes ?? []).includes(
          'ReportBatchItemFailures',
        ),
        enabled: properties.Enabled !== false && properties.Enabled !== 'false',
      });
      return { ref: logicalId, attributes: {} };
    }
    default:
      throw new UnresolvedError(`resource type ${type} is not emulated locally`, 'unsupported');
  }
}

/**
 * Drops (or, in warn mode, only reports) the bucket notifications whose queue's policy does not let
 * the bucket send to it. On AWS the stack would not even deploy: S3 checks the queue policy when
 * the notification configuration is put.
 */
async function refuseNotificationsByQueuePolicy(
  stack: ProvisionedStack,
  gate: DeliveryGate,
): Promise<void> {
  for (const notification of stack.bucketNotifications) {
    const queues = (notification.configuration.QueueConfigurations ?? []) as CfnProperties[];
    const allowed: CfnProperties[] = [];
    for (const queue of queues) {
      const queueArn = String(queue.Queue);
      const bucketArn = `arn:aws:s3:::${notification.bucket}`;
      if (await gate.allowsDelivery('s3.amazonaws.com', bucketArn, queueArn)) {
        allowed.push(queue);
        continue;
      }
      const refused = `bucket ${notification.bucket} → queue ${queueArn.split(':').at(-1)}: the queue's policy does not allow the bucket (sqs:SendMessage with aws:SourceArn); AWS would refuse this notification configuration`;
      stack.refusedDeliveries.push(
        gate.mode === 'enforce'
          ? `${refused}; not delivered`
          : `${refused}; delivered anyway (LOCAL_CLOUD_IAM=warn)`,
      );
      if (gate.mode !== 'enforce') allowed.push(queue);
    }
    notification.configuration = { ...notification.configuration, QueueConfigurations: allowed };
  }
}

/** Stands in for a resource that only exists on AWS: any Ref or GetAtt of it resolves to a marker. */
function placeholder(logicalId: string): PhysicalResource {
  const attributes = new Proxy({} as Record<string, string>, {
    get: (_target, name) => (typeof name === 'string' ? `local:${logicalId}.${name}` : undefined),
  });
  return { ref: `local:${logicalId}`, attributes };
}

function tableInput(name: string, properties: CfnProperties): CreateTableCommandInput {
  const onDemand = properties.BillingMode === 'PAY_PER_REQUEST';
  const throughput = onDemand
    ? undefined
    : (properties.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
  return {
    TableName: name,
    AttributeDefinitions: properties.AttributeDefinitions as AttributeDefinition[],
    KeySchema: properties.KeySchema,
    BillingMode: onDemand ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ...(throughput ? { ProvisionedThroughput: throughput } : {}),
    ...(properties.GlobalSecondaryIndexes
      ? {
          GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes.map((index: CfnProperties) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
            ...(throughput
              ? { ProvisionedThroughput: index.ProvisionedThroughput ?? throughput }
              : {}),
          })),
        }
      : {}),
    ...(properties.LocalSecondaryIndexes
      ? { LocalSecondaryIndexes: properties.LocalSecondaryIndexes }
      : {}),
  };
}

/** The UserPool properties CreateUserPool takes under the same name (UserPoolName is PoolName). */
const USER_POOL_PROPERTIES = [
  'Policies',
  'DeletionProtection',
  'LambdaConfig',
  'AutoVerifiedAttributes',
  'AliasAttributes',
  'UsernameAttributes',
  'SmsVerificationMessage',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'VerificationMessageTemplate',
  'SmsAuthenticationMessage',
  'MfaConfiguration',
  'UserAttributeUpdateSettings',
  'DeviceConfiguration',
  'EmailConfiguration',
  'SmsConfiguration',
  'UserPoolTags',
  'AdminCreateUserConfig',
  'Schema',
  'UserPoolAddOns',
  'UsernameConfiguration',
  'AccountRecoverySetting',
  'UserPoolTier',
] as const;

/** The UserPoolClient properties CreateUserPoolClient takes under the same name. */
const USER_POOL_CLIENT_PROPERTIES = [
  'GenerateSecret',
  'RefreshTokenValidity',
  'AccessTokenValidity',
  'IdTokenValidity',
  'TokenValidityUnits',
  'ReadAttributes',
  'WriteAttributes',
  'ExplicitAuthFlows',
  'SupportedIdentityProviders',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'AnalyticsConfiguration',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
  'EnablePropagateAdditionalUserContextData',
  'AuthSessionValidity',
  'RefreshTokenRotation',
] as const;

function userPoolInput(name: string, properties: CfnProperties): CreateUserPoolCommandInput {
  // Properties CreateUserPool has no field for (EnabledMfas, WebAuthn settings) are left out.
  return { ...pick(properties, USER_POOL_PROPERTIES), PoolName: name };
}

/** The properties named in `keys` that are set. */
function pick(properties: CfnProperties, keys: readonly string[]): CfnProperties {
  return Object.fromEntries(
    keys.filter((key) => properties[key] !== undefined).map((key) => [key, properties[key]]),
  );
}

/** CloudFormation takes numbers, booleans and JSON objects where the APIs want strings. */
function stringAttributes(attributes: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    result[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return result;
}
