import { requireEnv, SesEmailSender } from '@shop/aws-adapters';
import type { NotificationDependencies } from '@shop/notification-domain';

/**
 * Wires `notifyCustomer` to SES and the configured sender address; called once per cold start.
 *
 * @example
 * ```ts
 * const deps = createNotificationDependencies();
 * await notifyCustomer(deps, event);
 * ```
 */
export function createNotificationDependencies(
  env: NodeJS.ProcessEnv = process.env,
): NotificationDependencies {
  return {
    emailSender: new SesEmailSender(),
    senderAddress: requireEnv('SENDER_EMAIL', env),
  };
}
