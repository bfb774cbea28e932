import * as z from './zod';

/**
 * The body of an SQS message delivered by an SNS subscription without raw message delivery: the
 * SNS notification, whose `Message` is the published text.
 *
 * The same fields, types and checks as `SnsSqsNotificationSchema` of
 * `@aws-lambda-powertools/parser/schemas/sns` (a unit test compares the two); ours is built with
 * zod/mini, as that one (classic zod) would bring all of classic zod into every consumer's bundle.
 * Like it, it strips unknown fields rather than refusing them.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html#http-notification-json
 * @example
 * ```ts
 * const notification = SnsSqsNotificationSchema.safeParse(JSON.parse(record.body));
 * if (notification.success) JSON.parse(notification.data.Message); // the published event
 * ```
 */
export const SnsSqsNotificationSchema = z.object({
  Subject: z.nullish(z.string()),
  TopicArn: z.string(),
  UnsubscribeURL: z.optional(z.string()),
  SigningCertURL: z.optional(z.url()),
  Type: z.literal('Notification'),
  MessageAttributes: z.optional(
    z.record(z.string(), z.object({ Type: z.string(), Value: z.string() })),
  ),
  Message: z.string(),
  MessageId: z.string(),
  Signature: z.optional(z.string()),
  SignatureVersion: z.optional(z.string()),
  Timestamp: z.iso.datetime(),
});

export type SnsSqsNotification = z.infer<typeof SnsSqsNotificationSchema>;
