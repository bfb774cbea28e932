import { SesEmailSender } from '@shop/aws-adapters';
import type { NotificationDependencies } from '@shop/notification-domain';

/**
 * Reads a setting the function cannot run without, failing the cold start with a clear message:
 * without its idempotency table the consumer would email a redelivered event twice.
 *
 * @example
 * ```ts
 * const table = requireEnv('IDEMPOTENCY_TABLE');
 * ```
 */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) {
    throw new Error(`${name} is not set; it comes from services/notification/serverless.yml`);
  }
  return value;
}

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
