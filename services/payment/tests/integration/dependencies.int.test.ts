import { PaymentGatewayError } from '../../src/adapters/StripePaymentGateway';
import { createPaymentGateway } from '../../src/dependencies';
import { FakeStripe, stripeResponse } from '../helpers/fakeStripe';
import { charge, SECRET_ID, secretsHolding, stageEnv } from '../helpers/stageEnvironment';

// Which gateway each stage gets, decided at cold start from the environment serverless.yml gives
// the function, proved against a fake Stripe on a 127.0.0.1 port (the refusals that need no
// gateway are unit tests: tests/unit/dependencies.test.ts).

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
});
