import { eventTypes } from '@shop/contracts';
import type { CfnResource, PackagedService } from '@shop/local-cloud';
import { packageAllServices } from './helpers/packagedServices';

// Reads what `serverless package` produces for every service (the artefacts `sls deploy` would
// upload) and checks the wiring and least-privilege rules no unit test can see.

jest.setTimeout(600_000);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

let services: PackagedService[];

beforeAll(async () => {
  services = await packageAllServices();
});

const resourcesOf = (service: PackagedService, type: string) =>
  Object.entries(service.template.Resources).filter(([, resource]) => resource.Type === type);

const getAttTarget = (value: unknown): string | undefined =>
  (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('Packaged templates', () => {
  it('packages all eight stacks', () => {
    expect(services.map((s) => s.name).sort()).toEqual(
      [
        'analytics',
        'event-bus',
        'identity',
        'inventory',
        'notification',
        'order',
        'payment',
        'thumbnail',
      ].sort(),
    );
  });

  it('gives every function a role of its own and leaves no unused role behind', () => {
    for (const service of services) {
      const functions = resourcesOf(service, 'AWS::Lambda::Function');
      const roles = resourcesOf(service, 'AWS::IAM::Role').map(([id]) => id);
      const assumed = functions.map(([, fn]) => getAttTarget(fn.Properties?.Role));

      expect(assumed.every((role) => role && roles.includes(role))).toBe(true);
      expect(new Set(assumed).size).toBe(functions.length);
      expect(roles.sort()).toEqual([...assumed].sort());
    }
  });

  it('grants no wildcard action or resource except for X-Ray and log groups', () => {
    const offences: string[] = [];
    for (const service of services) {
      for (const [roleId, role] of resourcesOf(service, 'AWS::IAM::Role')) {
        const policies = (role.Properties?.Policies ?? []) as {
          PolicyDocument: { Statement: Statement[] };
        }[];
        for (const statement of policies.flatMap((p) => p.PolicyDocument.Statement)) {
          const actions = asArray(statement.Action);
          const wildcardResource = asArray(statement.Resource as unknown).some((r) => r === '*');
          const onlyXRay = actions.every((a) => a.startsWith('xray:'));
          if (actions.some((a) => a === '*' || a.endsWith(':*')))
            offences.push(`${service.name} ${roleId}: action ${actions}`);
          if (wildcardResource && !onlyXRay)
            offences.push(`${service.name} ${roleId}: resource * for ${actions}`);
        }
        expect(role.Properties?.ManagedPolicyArns ?? []).toEqual([]);
      }
    }
    expect(offences).toEqual([]);
  });

  it('feeds every queue-triggered function from a queue with a DLQ, a long enough visibility timeout and partial batch responses', () => {
    const mappings = services.flatMap((service) =>
      resourcesOf(service, 'AWS::Lambda::EventSourceMapping').map(([id, mapping]) => ({
        service,
        id,
        mapping,
      })),
    );
    expect(mappings.length).toBeGreaterThanOrEqual(5);
    for (const { service, id, mapping } of mappings) {
      const resources = service.template.Resources;
      const queueId = getAttTarget(mapping.Properties?.EventSourceArn) ?? '';
      const queue = resources[queueId] as CfnResource;
      const functionId = getAttTarget(mapping.Properties?.FunctionName) ?? '';
      const timeout = Number(resources[functionId]?.Properties?.Timeout ?? 6);
      const redrive = queue?.Properties?.RedrivePolicy as {
        deadLetterTargetArn: unknown;
        maxReceiveCount: number;
      };

      expect({ id, type: queue?.Type }).toEqual({ id, type: 'AWS::SQS::Queue' });
      expect(resources[getAttTarget(redrive?.deadLetterTargetArn) ?? '']?.Type).toBe(
        'AWS::SQS::Queue',
      );
      expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(1);
      // AWS's advice: 6 × the function timeout plus the batching window.
      const window = Number(mapping.Properties?.MaximumBatchingWindowInSeconds ?? 0);
      expect(Number(queue.Properties?.VisibilityTimeout)).toBeGreaterThanOrEqual(
        6 * timeout + window,
      );
      expect(mapping.Properties?.FunctionResponseTypes).toContain('ReportBatchItemFailures');
    }
  });

  it('subscribes queues to the bus with raw delivery and a filter policy naming catalogued events only', () => {
    const subscriptions = services.flatMap((service) =>
      resourcesOf(service, 'AWS::SNS::Subscription'),
    );
    expect(subscriptions.length).toBeGreaterThanOrEqual(4);
    for (const [, subscription] of subscriptions) {
      const filter = subscription.Properties?.FilterPolicy as { eventType: string[] };
      expect(subscription.Properties?.RawMessageDelivery).toBe(true);
      expect(filter.eventType.length).toBeGreaterThan(0);
      for (const type of filter.eventType) expect(eventTypes).toContain(type);
    }
  });

  it('encrypts every queue, topic and table', () => {
    for (const service of services) {
      for (const [id, queue] of resourcesOf(service, 'AWS::SQS::Queue')) {
        expect({
          id,
          sse: queue.Properties?.SqsManagedSseEnabled ?? queue.Properties?.KmsMasterKeyId,
        }).toEqual({ id, sse: expect.anything() });
      }
      for (const [id, topic] of resourcesOf(service, 'AWS::SNS::Topic')) {
        expect({ id, kms: topic.Properties?.KmsMasterKeyId }).toEqual({
          id,
          kms: expect.anything(),
        });
      }
      for (const [id, table] of resourcesOf(service, 'AWS::DynamoDB::Table')) {
        expect({ id, sse: table.Properties?.SSESpecification }).toEqual({
          id,
          sse: { SSEEnabled: true },
        });
      }
    }
  });

  it("alarms on every function's errors and throttles and on every DLQ, to the imported alarm topic", () => {
    const alarmTopic = { 'Fn::ImportValue': 'shop-event-bus-local-AlarmTopicArn' };
    let watchedQueues = 0;
    for (const service of services) {
      const alarms = resourcesOf(service, 'AWS::CloudWatch::Alarm').map(
        ([, alarm]) => alarm.Properties ?? {},
      );
      /** What the alarms on one metric watch: their dimensions. */
      const watched = (namespace: string, metric: string) =>
        alarms
          .filter((alarm) => alarm.Namespace === namespace && alarm.MetricName === metric)
          .map((alarm) => ({ service: service.name, metric, dimensions: alarm.Dimensions }));
      const functions = resourcesOf(service, 'AWS::Lambda::Function').map(([id]) => id);
      const deadLetterQueues = [
        ...new Set(
          Object.values(service.template.Resources).flatMap((resource) => {
            const redrive = resource.Properties?.RedrivePolicy as
              | { deadLetterTargetArn?: unknown }
              | undefined;
            const target = getAttTarget(redrive?.deadLetterTargetArn);
            return target ? [target] : [];
          }),
        ),
      ];
      const expected = (metric: string, dimensions: unknown[]) =>
        dimensions.map((dimension) => ({ service: service.name, metric, dimensions: [dimension] }));

      for (const metric of ['Errors', 'Throttles']) {
        expect(watched('AWS/Lambda', metric)).toEqual(
          expected(
            metric,
            functions.map((id) => ({ Name: 'FunctionName', Value: { Ref: id } })),
          ),
        );
      }
      expect(watched('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toEqual(
        expected(
          'ApproximateNumberOfMessagesVisible',
          deadLetterQueues.map((id) => ({
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [id, 'QueueName'] },
          })),
        ),
      );
      // Beyond these, a service may alarm on its own domain metrics (order: OrdersParked).
      const operational = alarms.filter((alarm) =>
        ['AWS/Lambda', 'AWS/SQS'].includes(String(alarm.Namespace)),
      );
      expect(operational).toHaveLength(2 * functions.length + deadLetterQueues.length);
      for (const alarm of alarms) {
        // Any occurrence alarms, and the recovery is announced too.
        expect(alarm).toMatchObject({
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [alarmTopic],
          OKActions: [alarmTopic],
        });
      }
      watchedQueues += deadLetterQueues.length;
    }
    // Five consumers' event DLQs and thumbnail's uploads DLQ, at least.
    expect(watchedQueues).toBeGreaterThanOrEqual(6);
  });

  it('exports an alarm topic CloudWatch can publish to: encrypted with a rotated key of our own', () => {
    const bus = services.find((s) => s.name === 'event-bus');
    const resources = bus?.template.Resources ?? {};
    const output = bus?.template.Outputs?.AlarmTopicArn;
    expect(output?.Export?.Name).toBe('shop-event-bus-local-AlarmTopicArn');
    const topicId = (output?.Value as { Ref?: string } | undefined)?.Ref ?? '';
    const topic = resources[topicId];
    expect(topic?.Type).toBe('AWS::SNS::Topic');
    const key = resources[getAttTarget(topic?.Properties?.KmsMasterKeyId) ?? ''];
    expect(key?.Type).toBe('AWS::KMS::Key');
    expect(key?.Properties?.EnableKeyRotation).toBe(true);
    const policy = key?.Properties?.KeyPolicy as { Statement: Statement[] } | undefined;
    expect(policy?.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']),
      }),
    );
  });

  it('exports the bus topic for the other stacks to import', () => {
    const bus = services.find((s) => s.name === 'event-bus');
    const exportName = (bus?.template.Outputs?.EventBusTopicArn?.Export?.Name ?? '') as string;
    expect(exportName).toBe('shop-event-bus-local-EventBusTopicArn');
    const importers = services.filter((s) =>
      JSON.stringify(s.template).includes(`"Fn::ImportValue":"${exportName}"`),
    );
    expect(importers.map((s) => s.name).sort()).toEqual(
      ['analytics', 'inventory', 'notification', 'order', 'payment', 'thumbnail'].sort(),
    );
  });
});
