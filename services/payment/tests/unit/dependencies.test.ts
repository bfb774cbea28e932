import { createPaymentDependencies, createPaymentGateway } from '../../src/dependencies';
import { stageEnv } from '../helpers/stageEnvironment';

// Which gateway each stage gets, and the refusals that keep a misconfigured stage from taking
// orders: decided at cold start, from the environment serverless.yml gives the function.

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
