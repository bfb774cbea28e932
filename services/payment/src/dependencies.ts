import { createDocumentClient, requireEnv, SnsEventPublisher } from '@shop/aws-adapters';
import type { PaymentDependencies } from '@shop/payment-domain';
import { DynamoDbPaymentRecords } from './adapters/DynamoDbPaymentRecords';
import { SandboxPaymentGateway } from './adapters/SandboxPaymentGateway';

/** The sandbox gateway, payment records in DynamoDB, events to the bus. */
export function createPaymentDependencies(
  env: NodeJS.ProcessEnv = process.env,
): PaymentDependencies {
  return {
    gateway: new SandboxPaymentGateway({
      amountLimit: {
        amount: Number(env.SANDBOX_AMOUNT_LIMIT_CENTS ?? 100_000),
        currency: env.SANDBOX_AMOUNT_LIMIT_CURRENCY ?? 'EUR',
      },
    }),
    payments: new DynamoDbPaymentRecords(createDocumentClient(), requireEnv('PAYMENTS_TABLE', env)),
    events: new SnsEventPublisher({ topicArn: requireEnv('EVENT_BUS_TOPIC_ARN', env) }),
  };
}
