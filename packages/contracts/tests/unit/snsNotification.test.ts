import { SnsSqsNotificationSchema as PowertoolsSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { SnsSqsNotificationSchema } from '../../src/snsNotification';
import * as z from '../../src/zod';
import { snsNotificationBody } from '../helpers/fixtures';

const body = (overrides: Record<string, unknown> = {}) =>
  JSON.parse(snsNotificationBody('{"hello":"world"}', overrides)) as Record<string, unknown>;

/** What a schema makes of a value: the parsed data, or each issue's path and code. */
const outcome = (schema: z.core.$ZodType, value: unknown) => {
  const result = z.safeParse(schema, value);
  return result.success
    ? { data: result.data }
    : { issues: result.error.issues.map(({ path, code }) => ({ path, code })) };
};

describe('Schema: SnsSqsNotificationSchema', () => {
  it('describes the same fields, types and checks as Powertools’ SnsSqsNotificationSchema', () => {
    for (const io of ['input', 'output'] as const) {
      expect(z.toJSONSchema(SnsSqsNotificationSchema, { io })).toEqual(
        z.toJSONSchema(PowertoolsSchema, { io }),
      );
    }
  });

  it.each([
    ['a notification as SNS delivers it', body()],
    ['one with a subject', body({ Subject: 'OrderCreated' })],
    ['one with a null subject', body({ Subject: null })],
    [
      'one with message attributes',
      body({ MessageAttributes: { eventType: { Type: 'String', Value: 'OrderCreated' } } }),
    ],
    ['one with fields SNS may add later (stripped)', body({ Extra: 1 })],
    ['one without optional fields', body({ Signature: undefined, UnsubscribeURL: undefined })],
    ['another type', body({ Type: 'SubscriptionConfirmation' })],
    ['a malformed timestamp', body({ Timestamp: '1 May 2024' })],
    ['a signing certificate URL that is no URL', body({ SigningCertURL: 'cert.pem' })],
    ['a message that is not a string', body({ Message: { hello: 'world' } })],
    ['a missing topic', body({ TopicArn: undefined })],
    ['malformed message attributes', body({ MessageAttributes: { eventType: 'OrderCreated' } })],
    ['an event itself (raw delivery)', { eventType: 'OrderCreated', data: {} }],
    ['no object', 'Notification'],
  ])('judges %s as Powertools does', (_case, value) => {
    expect(outcome(SnsSqsNotificationSchema, value)).toEqual(outcome(PowertoolsSchema, value));
  });
});
