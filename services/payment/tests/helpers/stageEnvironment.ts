import type { SecretsReader } from '@shop/aws-adapters';

// Shared by the cold-start tests of dependencies.ts (unit: the refusals; integration: the
// gateways, against a fake Stripe on a port).

export const SECRET_ID = 'shop/prod/stripe-secret-key';

export const stageEnv = (stage: string, gateway: string, extra: NodeJS.ProcessEnv = {}) => ({
  SHOP_STAGE: stage,
  PAYMENT_GATEWAY: gateway,
  PAYMENTS_TABLE: `shop-payment-${stage}-payments`,
  EVENT_BUS_TOPIC_ARN: `arn:aws:sns:eu-west-1:123456789012:shop-events-${stage}`,
  SANDBOX_AMOUNT_LIMIT_CENTS: '100000',
  SANDBOX_AMOUNT_LIMIT_CURRENCY: 'EUR',
  ...extra,
});

export const charge = {
  idempotencyKey: 'charge-o1',
  orderId: 'o1',
  amount: { amount: 1450, currency: 'EUR' },
  token: 'tok_sandbox_success',
  attempt: 1,
};

/** A secrets reader that holds one secret, counting how often it was asked. */
export const secretsHolding = (value: string) => {
  const getString = jest.fn(async (secretId: string) => {
    if (secretId !== SECRET_ID) throw new Error(`no secret ${secretId}`);
    return value;
  });
  return { getString } satisfies SecretsReader;
};
