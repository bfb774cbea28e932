import {
  createDocumentClient,
  createSecretsReader,
  requireEnv,
  type SecretsReader,
  SnsEventPublisher,
} from '@shop/aws-adapters';
import { type Money, MoneySchema } from '@shop/contracts';
import type { PaymentDependencies, PaymentGateway } from '@shop/payment-domain';
import { DynamoDbPaymentRecords } from './adapters/DynamoDbPaymentRecords';
import { SandboxPaymentGateway } from './adapters/SandboxPaymentGateway';
import { type StripeEndpoint, StripePaymentGateway } from './adapters/StripePaymentGateway';

/** Stages whose orders must move real money: no sandbox there, and only live Stripe keys. */
const LIVE_STAGES: ReadonlySet<string> = new Set(['prod']);

/** The stage's payment gateway, payment records in DynamoDB, events to the bus. */
export function createPaymentDependencies(
  env: NodeJS.ProcessEnv = process.env,
): PaymentDependencies {
  return {
    gateway: createPaymentGateway(env),
    payments: new DynamoDbPaymentRecords(createDocumentClient(), requireEnv('PAYMENTS_TABLE', env)),
    events: new SnsEventPublisher({ topicArn: requireEnv('EVENT_BUS_TOPIC_ARN', env) }),
  };
}

/**
 * The gateway the stage's `PAYMENT_GATEWAY` names (`custom.paymentGateway` in serverless.yml):
 * `sandbox` moves no money; `stripe` charges with the secret key stored in Secrets Manager under
 * `STRIPE_SECRET_KEY_ID`, read through a 5-minute cache.
 *
 * @param overrides what tests substitute: the secrets reader and where Stripe is served.
 * @throws Error at cold start when the sandbox is asked for in a live stage, or a setting is
 * missing or unknown, so a misconfigured stage never takes an order.
 * @example
 * ```ts
 * const gateway = createPaymentGateway({ SHOP_STAGE: 'dev', PAYMENT_GATEWAY: 'sandbox' });
 * ```
 */
export function createPaymentGateway(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { secrets?: SecretsReader; stripeEndpoint?: StripeEndpoint } = {},
): PaymentGateway {
  const stage = requireEnv('SHOP_STAGE', env);
  const gateway = requireEnv('PAYMENT_GATEWAY', env);
  const live = LIVE_STAGES.has(stage);

  switch (gateway) {
    case 'sandbox':
      if (live) {
        throw new Error(
          `the sandbox payment gateway cannot run in stage ${stage}; set ` +
            `custom.paymentGateway.${stage} to stripe in services/payment/serverless.yml ` +
            '(PAYMENT_GATEWAY=stripe) and store the Stripe secret key in Secrets Manager',
        );
      }
      return new SandboxPaymentGateway({ amountLimit: sandboxAmountLimit(env) });
    case 'stripe': {
      const secretId = requireEnv('STRIPE_SECRET_KEY_ID', env);
      const secrets = overrides.secrets ?? createSecretsReader({ maxAgeSeconds: 300 });
      return new StripePaymentGateway({
        apiKey: () => secrets.getString(secretId),
        requireLiveKey: live,
        endpoint: overrides.stripeEndpoint,
      });
    }
    default:
      throw new Error(`PAYMENT_GATEWAY is '${gateway}'; it must be sandbox or stripe`);
  }
}

/**
 * The amount above which the sandbox declines (AMOUNT_LIMIT_EXCEEDED), from serverless.yml.
 * @throws Error at cold start when it is missing or not whole cents and an ISO 4217 code.
 */
function sandboxAmountLimit(env: NodeJS.ProcessEnv): Money {
  const limit = MoneySchema.safeParse({
    amount: Number(requireEnv('SANDBOX_AMOUNT_LIMIT_CENTS', env)),
    currency: requireEnv('SANDBOX_AMOUNT_LIMIT_CURRENCY', env),
  });
  if (limit.success) return limit.data;
  throw new Error(
    `SANDBOX_AMOUNT_LIMIT_CENTS must be whole cents and SANDBOX_AMOUNT_LIMIT_CURRENCY an ISO 4217 code; got ${env.SANDBOX_AMOUNT_LIMIT_CENTS} ${env.SANDBOX_AMOUNT_LIMIT_CURRENCY}`,
  );
}
