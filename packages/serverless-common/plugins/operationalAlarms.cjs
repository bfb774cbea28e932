'use strict';

/**
 * Alarms every service needs, derived from its compiled template so no serverless.yml lists them
 * (and none can forget one):
 * - each Lambda function: Errors > 0 and Throttles > 0 in a minute (AWS/Lambda, by FunctionName);
 * - each queue that is some resource's dead-letter target: ApproximateNumberOfMessagesVisible > 0,
 *   since anything there is a message the system gave up on.
 * All notify one SNS topic on alarm and on recovery. Dimensions are resource names only.
 */

const ONE_MINUTE = 60;

/** Any occurrence within one minute alarms: each of these is a failure someone should look at. */
const common = (alarmTopicArn) => ({
  Period: ONE_MINUTE,
  EvaluationPeriods: 1,
  Threshold: 0,
  ComparisonOperator: 'GreaterThanThreshold',
  // No data points means nothing happened: idle functions and empty DLQs are healthy.
  TreatMissingData: 'notBreaching',
  AlarmActions: [alarmTopicArn],
  OKActions: [alarmTopicArn],
});

/** `X` for `{ 'Fn::GetAtt': ['X', 'Arn'] }` (or `'X.Arn'`), otherwise undefined. */
function getAttTarget(value) {
  const getAtt = value && typeof value === 'object' ? value['Fn::GetAtt'] : undefined;
  if (Array.isArray(getAtt)) return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Logical ids of the queues that some queue or subscription dead-letters into. */
function deadLetterQueueIds(resources) {
  const ids = new Set();
  for (const resource of Object.values(resources)) {
    const target = getAttTarget(resource.Properties?.RedrivePolicy?.deadLetterTargetArn);
    if (target && resources[target]?.Type === 'AWS::SQS::Queue') ids.add(target);
  }
  return ids;
}

/** Logical id of an alarm: `CreateOrderLambdaFunction` + `Errors` → `CreateOrderErrorsAlarm`. */
function alarmId(resourceId, metric) {
  return `${resourceId.replace(/LambdaFunction$/, '')}${metric}Alarm`;
}

/** What people read in the alarm email: the function's or queue's name when it is known. */
function nameOf(resourceId, resource, property) {
  const name = resource.Properties?.[property];
  return typeof name === 'string' ? name : resourceId;
}

/**
 * Adds the alarms to the template.
 *
 * @param {{ Resources: Record<string, any> }} template the compiled template, changed in place
 * @param {{ alarmTopicArn: unknown }} options the topic to notify (a string or an intrinsic)
 * @returns {string[]} logical ids of the alarms added
 */
function addOperationalAlarms(template, { alarmTopicArn }) {
  const resources = template.Resources;
  const alarms = {};

  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = nameOf(id, resource, 'FunctionName');
    const lambdaMetric = (metric, description) => ({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmDescription: `${name}: ${description}`,
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
        Statistic: 'Sum',
        ...common(alarmTopicArn),
      },
    });
    alarms[alarmId(id, 'Errors')] = lambdaMetric(
      'Errors',
      'invocations failed (threw, timed out or ran out of memory); see its log group',
    );
    alarms[alarmId(id, 'Throttles')] = lambdaMetric(
      'Throttles',
      'invocations were throttled (account or reserved concurrency reached)',
    );
  }

  for (const id of deadLetterQueueIds(resources)) {
    const name = nameOf(id, resources[id], 'QueueName');
    alarms[alarmId(id, 'Messages')] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmDescription: `${name}: messages were dead-lettered; inspect them, fix the cause, then redrive`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
        Statistic: 'Maximum',
        ...common(alarmTopicArn),
      },
    };
  }

  for (const id of Object.keys(alarms)) {
    if (resources[id]) throw new Error(`@shop/serverless-common: ${id} is already in the template`);
  }
  Object.assign(resources, alarms);
  return Object.keys(alarms);
}

module.exports = { addOperationalAlarms };
