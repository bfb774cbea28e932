import type { SecretsReader } from '@shop/aws-adapters';
import { PaymentGatewayError } from '../../src/adapters/StripePaymentGateway';
import { createPaymentDependencies, createPaymentGateway } from '../../src/dependencies';
import { FakeStripe, stripeResponse } from '../helpers/fakeStripe';

// Which gateway each stage gets, and the refusals that keep a misconfigured stage from taking
// orders: decided at cold start, from the environment serverless.yml gives the function.

const SECRET_ID = 'shop/prod/stripe-secret-key';

const stageEnv = (stage: string, gateway: string, extra: NodeJS.ProcessEnv = {}) => ({
  SHOP_STAGE: stage,
  PAYMENT_GATEWAY: gateway,
  PAYMENTS_TABLE: `shop-payment-${stage}-payments`,
  EVENT_BUS_TOPIC_ARN: `arn:aws:sns:eu-west-1:123456789012:shop-events-${stage}`,
  SANDBOX_AMOUNT_LIMIT_CENTS: '100000',
  SANDBOX_AMOUNT_LIMIT_CURRENCY: 'EUR',
  ...extra,
});

const charge = {
  idempotencyKey: 'charge-o1',
  orderId: 'o1',
  amount: { amount: 1450, currency: 'EUR' },
  token: 'tok_sandbox_success',
  attempt: 1,
};

/** A secrets reader that holds one secret, counting how often it was asked. */
const secretsHolding = (value: string) => {
  const getString = jest.fn(async (secretId: string) => {
    if (secretId !== SECRET_ID) throw new Error(`no secret ${secretId}`);
    return value;
  });
  return { getString } satisfies SecretsReader;
};

describe('Function: createPaymentDependencies', () => {
  it('refuses to start with the sandbox gateway in stage prod, naming the setting to change', () => {
    // Act & Assess
    expect(() => createPaymentDependencies(stageEnv('prod', 'sandbox'))).toThrow(
      'the sandbox payment gateway cannot run in stage prod; set custom.paymentGateway.prod ' +
        'to stripe in services/payment/serverless.yml (PAYMENT_GATEWAY=stripe)',
    );
  });

  it('builds the payment dependencies of a sandbox stage', () => {
    // Act
    const deps = createPaymentDependencies(stageEnv('local', 'sandbox'));

    // Assess
    expect(Object.keys(deps).sort()).toEqual(['events', 'gateway', 'payments']);
  });
});

describe('Function: createPaymentGateway', () => {
  let stripe: FakeStripe;

  beforeAll(async () => {
    stripe = await FakeStripe.start();
  });

  afterEach(() => stripe.reset());

  afterAll(() => stripe.stop());

  it.each(['local', 'dev'])(
    'charges with the sandbox on stage %s, moving no money',
    async (stage) => {
      // Prepare
      const gateway = createPaymentGateway(stageEnv(stage, 'sandbox'), {
        stripeEndpoint: stripe.endpoint,
      });

      // Act
      const result = await gateway.charge(charge);

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(stripe.requests).toEqual([]);
    },
  );

  it("charges through Stripe with the live key read from the stage's secret", async () => {
    // Prepare
    const secrets = secretsHolding('sk_live_51FromTheSecret');
    stripe.reply({ status: 200, body: stripeResponse('payment_intent.succeeded') });
    const gateway = createPaymentGateway(
      stageEnv('prod', 'stripe', { STRIPE_SECRET_KEY_ID: SECRET_ID }),
      { secrets, stripeEndpoint: stripe.endpoint },
    );

    // Act
    const result = await gateway.charge({ ...charge, token: 'pm_card_visa' });

    // Assess
    expect(result).toEqual({ status: 'SUCCEEDED', paymentId: 'pi_3SucceededOrder0001' });
    expect(secrets.getString).toHaveBeenCalledWith(SECRET_ID);
    expect(stripe.requests[0]?.headers.authorization).toBe('Bearer sk_live_51FromTheSecret');
  });

  it('refuses a Stripe test-mode key in stage prod before any request', async () => {
    // Prepare
    const gateway = createPaymentGateway(
      stageEnv('prod', 'stripe', { STRIPE_SECRET_KEY_ID: SECRET_ID }),
      { secrets: secretsHolding('sk_test_51FromTheSecret'), stripeEndpoint: stripe.endpoint },
    );

    // Act & Assess
    await expect(gateway.charge(charge)).rejects.toBeInstanceOf(PaymentGatewayError);
    expect(stripe.requests).toEqual([]);
  });

  it('lets a stage other than prod charge in Stripe test mode', async () => {
    // Prepare
    stripe.reply({ status: 200, body: stripeResponse('payment_intent.succeeded') });
    const gateway = createPaymentGateway(
      stageEnv('staging', 'stripe', { STRIPE_SECRET_KEY_ID: SECRET_ID }),
      { secrets: secretsHolding('sk_test_51FromTheSecret'), stripeEndpoint: stripe.endpoint },
    );

    // Act
    const result = await gateway.charge({ ...charge, token: 'pm_card_visa' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
  });

  it.each([
    [
      'the stage',
      { PAYMENT_GATEWAY: 'sandbox' },
      "SHOP_STAGE is not set; it comes from the service's serverless.yml",
    ],
    [
      'the gateway',
      { SHOP_STAGE: 'dev' },
      "PAYMENT_GATEWAY is not set; it comes from the service's serverless.yml",
    ],
    [
      'the secret of a Stripe stage',
      { SHOP_STAGE: 'prod', PAYMENT_GATEWAY: 'stripe' },
      "STRIPE_SECRET_KEY_ID is not set; it comes from the service's serverless.yml",
    ],
    [
      "the sandbox's amount limit",
      { SHOP_STAGE: 'dev', PAYMENT_GATEWAY: 'sandbox', SANDBOX_AMOUNT_LIMIT_CURRENCY: 'EUR' },
      "SANDBOX_AMOUNT_LIMIT_CENTS is not set; it comes from the service's serverless.yml",
    ],
  ])('fails the cold start without %s', (_missing, env, message) => {
    // Act & Assess
    expect(() => createPaymentGateway(env)).toThrow(message);
  });

  it.each([
    ['an amount that is not whole cents', '1000.50', 'EUR'],
    ['an amount that is not a number', 'a lot', 'EUR'],
    ['a currency that is not an ISO 4217 code', '100000', 'euro'],
  ])('fails the cold start for a sandbox limit with %s', (_case, cents, currency) => {
    // Prepare
    const env = stageEnv('dev', 'sandbox', {
      SANDBOX_AMOUNT_LIMIT_CENTS: cents,
      SANDBOX_AMOUNT_LIMIT_CURRENCY: currency,
    });

    // Act & Assess
    expect(() => createPaymentGateway(env)).toThrow(
      /SANDBOX_AMOUNT_LIMIT_CENTS must be whole cents/,
    );
  });

  it('fails the cold start for a gateway it does not know', () => {
    // Act & Assess
    expect(() => createPaymentGateway({ SHOP_STAGE: 'dev', PAYMENT_GATEWAY: 'Stripe' })).toThrow(
      "PAYMENT_GATEWAY is 'Stripe'; it must be sandbox or stripe",
    );
  });
});
