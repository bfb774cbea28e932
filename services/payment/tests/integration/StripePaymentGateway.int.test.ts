import { TransientPaymentError } from '@shop/payment-domain';
import Stripe from 'stripe';
import {
  PaymentGatewayError,
  StripePaymentGateway,
  type StripePaymentGatewayOptions,
} from '../../src/adapters/StripePaymentGateway';
import { FakeStripe, stripeResponse } from '../helpers/fakeStripe';

// The real Stripe SDK against a local server that answers with recorded Stripe responses: what
// the adapter sends, and how each answer maps onto the PaymentGateway port.

const TEST_KEY = 'sk_test_51FakeKeyForTheseTests0000wxyz';

const chargeRequest = {
  idempotencyKey: 'charge-o1',
  orderId: 'o1',
  amount: { amount: 1450, currency: 'EUR' },
  token: 'pm_card_visa',
  attempt: 1,
};

const refundRequest = {
  idempotencyKey: 'refund-o1',
  orderId: 'o1',
  paymentId: 'pi_3SucceededOrder0001',
  amount: { amount: 1450, currency: 'EUR' },
};

describe('Class: StripePaymentGateway', () => {
  let stripe: FakeStripe;

  beforeAll(async () => {
    stripe = await FakeStripe.start();
  });

  afterEach(() => stripe.reset());

  afterAll(() => stripe.stop());

  const gatewayWith = (options: Partial<StripePaymentGatewayOptions> = {}) =>
    new StripePaymentGateway({ apiKey: TEST_KEY, endpoint: stripe.endpoint, ...options });

  const replyWith = (status: number, name: string) =>
    stripe.reply({ status, body: stripeResponse(name) });

  describe('Method: charge', () => {
    it('creates and confirms a card PaymentIntent for the order total under the idempotency key', async () => {
      // Prepare
      replyWith(200, 'payment_intent.succeeded');

      // Act
      const result = await gatewayWith().charge(chargeRequest);

      // Assess
      expect(result).toEqual({ status: 'SUCCEEDED', paymentId: 'pi_3SucceededOrder0001' });
      expect(stripe.requests).toHaveLength(1);
      const [request] = stripe.requests;
      expect(request).toMatchObject({ method: 'POST', path: '/v1/payment_intents' });
      expect(request?.headers).toMatchObject({
        authorization: `Bearer ${TEST_KEY}`,
        'idempotency-key': 'charge-o1',
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(Object.fromEntries(request?.form ?? [])).toEqual({
        amount: '1450',
        currency: 'eur',
        payment_method: 'pm_card_visa',
        'allowed_payment_method_types[0]': 'card',
        confirm: 'true',
        'metadata[orderId]': 'o1',
      });
    });

    it.each([
      [
        'error.card_declined',
        'Your card has insufficient funds. (card_declined/insufficient_funds)',
      ],
      ['error.expired_card', 'Your card has expired. (expired_card)'],
    ])('declines with the issuer reason when Stripe answers 402 (%s)', async (name, detail) => {
      // Prepare
      replyWith(402, name);

      // Act
      const result = await gatewayWith().charge(chargeRequest);

      // Assess
      expect(result).toEqual({ status: 'DECLINED', reason: 'DECLINED', detail });
    });

    it('declines a PaymentIntent left in requires_payment_method with its last payment error', async () => {
      // Prepare
      replyWith(200, 'payment_intent.requires_payment_method');

      // Act
      const result = await gatewayWith().charge(chargeRequest);

      // Assess
      expect(result).toEqual({
        status: 'DECLINED',
        reason: 'DECLINED',
        detail: 'Your card has insufficient funds. (card_declined/insufficient_funds)',
      });
    });

    it('declines a card that needs 3D Secure, which a server-side charge cannot complete', async () => {
      // Prepare
      replyWith(200, 'payment_intent.requires_action');

      // Act
      const result = await gatewayWith().charge(chargeRequest);

      // Assess
      expect(result).toMatchObject({ status: 'DECLINED', reason: 'DECLINED' });
      expect(result.status === 'DECLINED' && result.detail).toMatch(
        /authenticate this payment \(3D Secure\)/,
      );
    });

    it('declines a PaymentMethod Stripe does not know as INVALID_TOKEN', async () => {
      // Prepare
      replyWith(404, 'error.payment_method_missing');

      // Act
      const result = await gatewayWith().charge({ ...chargeRequest, token: 'pm_nope' });

      // Assess
      expect(result).toEqual({
        status: 'DECLINED',
        reason: 'INVALID_TOKEN',
        detail: "No such PaymentMethod: 'pm_nope' (resource_missing)",
      });
    });

    it("declines an amount above Stripe's maximum as AMOUNT_LIMIT_EXCEEDED", async () => {
      // Prepare
      replyWith(400, 'error.amount_too_large');

      // Act
      const result = await gatewayWith().charge(chargeRequest);

      // Assess
      expect(result).toMatchObject({ status: 'DECLINED', reason: 'AMOUNT_LIMIT_EXCEEDED' });
    });

    it("declines an amount below Stripe's minimum, which no retry can change", async () => {
      // Prepare
      stripe.reply({
        status: 400,
        body: {
          error: {
            code: 'amount_too_small',
            message: 'Amount must be at least €0.50 eur',
            param: 'amount',
            type: 'invalid_request_error',
          },
        },
      });

      // Act
      const result = await gatewayWith().charge({
        ...chargeRequest,
        amount: { amount: 10, currency: 'EUR' },
      });

      // Assess
      expect(result).toEqual({
        status: 'DECLINED',
        reason: 'DECLINED',
        detail: 'Amount must be at least €0.50 eur (amount_too_small)',
      });
    });

    it.each([
      [429, 'error.rate_limit', Stripe.errors.StripeRateLimitError],
      [500, 'error.api_error', Stripe.errors.StripeAPIError],
    ])('reports a %i as transient, asking Stripe once', async (status, name, errorClass) => {
      // Prepare
      replyWith(status, name);

      // Act
      const error = await gatewayWith()
        .charge(chargeRequest)
        .catch((thrown: unknown) => thrown);

      // Assess
      expect(error).toBeInstanceOf(TransientPaymentError);
      expect((error as Error).cause).toBeInstanceOf(errorClass);
      // maxNetworkRetries 0: the event's own retry policy decides when to ask again.
      expect(stripe.requests).toHaveLength(1);
    });

    it('reports a dropped connection as transient; the SDK resends it once under the same key', async () => {
      // Prepare
      stripe.reply('drop-connection', 'drop-connection');

      // Act
      const error = await gatewayWith()
        .charge(chargeRequest)
        .catch((thrown: unknown) => thrown);

      // Assess
      expect(error).toBeInstanceOf(TransientPaymentError);
      expect((error as Error).cause).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect(stripe.requests.map((r) => r.headers['idempotency-key'])).toEqual([
        'charge-o1',
        'charge-o1',
      ]);
    });

    it('reports a request Stripe does not answer in time as transient', async () => {
      // Prepare
      stripe.reply('never-answer');

      // Act
      const error = await gatewayWith({ timeoutMs: 100 })
        .charge(chargeRequest)
        .catch((thrown: unknown) => thrown);

      // Assess
      expect(error).toBeInstanceOf(TransientPaymentError);
      expect((error as Error).message).toMatch(/timeout/);
      expect(stripe.requests).toHaveLength(1);
    });

    it('sends a retried charge with the same Idempotency-Key and body, so it cannot charge twice', async () => {
      // Prepare
      replyWith(500, 'error.api_error');
      replyWith(200, 'payment_intent.succeeded');
      const gateway = gatewayWith();

      // Act
      await expect(gateway.charge(chargeRequest)).rejects.toBeInstanceOf(TransientPaymentError);
      const retried = await gateway.charge({ ...chargeRequest, attempt: 2 });

      // Assess
      expect(retried).toEqual({ status: 'SUCCEEDED', paymentId: 'pi_3SucceededOrder0001' });
      const [first, second] = stripe.requests;
      expect(second?.headers['idempotency-key']).toBe('charge-o1');
      expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
      expect(second?.form.toString()).toBe(first?.form.toString());
    });

    it.each([
      [401, 'error.authentication', Stripe.errors.StripeAuthenticationError],
      [403, 'error.permission', Stripe.errors.StripePermissionError],
      [400, 'error.parameter_unknown', Stripe.errors.StripeInvalidRequestError],
    ])('surfaces a %i as a failure retrying cannot fix', async (status, name, errorClass) => {
      // Prepare
      replyWith(status, name);

      // Act
      const error = await gatewayWith()
        .charge(chargeRequest)
        .catch((thrown: unknown) => thrown);

      // Assess
      expect(error).toBeInstanceOf(PaymentGatewayError);
      expect(error).not.toBeInstanceOf(TransientPaymentError);
      expect((error as Error).cause).toBeInstanceOf(errorClass);
      expect((error as Error).message).toContain(`HTTP ${status}`);
      expect((error as Error).message).not.toContain(TEST_KEY);
    });

    it('surfaces a PaymentIntent status a card charged server-side should not reach', async () => {
      // Prepare
      replyWith(200, 'payment_intent.processing');

      // Act & Assess
      await expect(gatewayWith().charge(chargeRequest)).rejects.toThrow(
        new PaymentGatewayError(
          'Stripe left PaymentIntent pi_3ProcessingOrder0004 in status processing, which a card ' +
            'charged server-side should not reach',
        ),
      );
    });
  });

  describe('Method: refund', () => {
    it('refunds the PaymentIntent by the amount charged under the idempotency key', async () => {
      // Prepare
      replyWith(200, 'refund.succeeded');

      // Act
      const result = await gatewayWith().refund(refundRequest);

      // Assess
      expect(result).toEqual({ refundId: 're_3SucceededOrder0001' });
      const [request] = stripe.requests;
      expect(request).toMatchObject({ method: 'POST', path: '/v1/refunds' });
      expect(request?.headers['idempotency-key']).toBe('refund-o1');
      expect(Object.fromEntries(request?.form ?? [])).toEqual({
        payment_intent: 'pi_3SucceededOrder0001',
        amount: '1450',
        'metadata[orderId]': 'o1',
      });
    });

    it('accepts a refund that is still pending, as card refunds often are', async () => {
      // Prepare
      stripe.reply({
        status: 200,
        body: { ...stripeResponse('refund.succeeded'), status: 'pending' },
      });

      // Act & Assess
      await expect(gatewayWith().refund(refundRequest)).resolves.toEqual({
        refundId: 're_3SucceededOrder0001',
      });
    });

    it('surfaces a refund Stripe reports as failed', async () => {
      // Prepare
      stripe.reply({
        status: 200,
        body: {
          ...stripeResponse('refund.succeeded'),
          status: 'failed',
          failure_reason: 'unknown',
        },
      });

      // Act & Assess
      await expect(gatewayWith().refund(refundRequest)).rejects.toThrow(
        new PaymentGatewayError(
          'Stripe refund re_3SucceededOrder0001 of pi_3SucceededOrder0001 is failed (unknown)',
        ),
      );
    });

    it('reports a rate-limited refund as transient', async () => {
      // Prepare
      replyWith(429, 'error.rate_limit');

      // Act & Assess
      await expect(gatewayWith().refund(refundRequest)).rejects.toBeInstanceOf(
        TransientPaymentError,
      );
    });
  });

  describe('Option: apiKey', () => {
    it('reads the key before each call, so a rotated key is used at once', async () => {
      // Prepare
      const keys = ['sk_test_first0001', 'sk_test_first0001', 'sk_test_rotated02'];
      const apiKey = jest.fn(async () => keys.shift() ?? '');
      stripe.reply(
        ...[1, 2, 3].map(() => ({ status: 200, body: stripeResponse('payment_intent.succeeded') })),
      );
      const gateway = gatewayWith({ apiKey });

      // Act
      for (let i = 0; i < 3; i++) await gateway.charge(chargeRequest);

      // Assess
      expect(apiKey).toHaveBeenCalledTimes(3);
      expect(stripe.requests.map((r) => r.headers.authorization)).toEqual([
        'Bearer sk_test_first0001',
        'Bearer sk_test_first0001',
        'Bearer sk_test_rotated02',
      ]);
    });

    it('lets a failed key read through without calling Stripe', async () => {
      // Prepare
      const unreadable = new Error('could not read secret shop/prod/stripe-secret-key');

      // Act & Assess
      await expect(
        gatewayWith({ apiKey: () => Promise.reject(unreadable) }).charge(chargeRequest),
      ).rejects.toBe(unreadable);
      expect(stripe.requests).toEqual([]);
    });

    it('ignores whitespace around a stored key', async () => {
      // Prepare
      replyWith(200, 'payment_intent.succeeded');

      // Act
      await gatewayWith({ apiKey: async () => `${TEST_KEY}\n` }).charge(chargeRequest);

      // Assess
      expect(stripe.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    });

    it.each([
      ['a publishable key', 'pk_live_51FakePublishable', /not a secret or restricted API key/],
      ['an empty secret', '', /not a secret or restricted API key/],
      ['a test key where money must move', TEST_KEY, /test-mode key; store a live key/],
    ])('refuses %s before sending anything', async (_case, key, message) => {
      // Act
      const error = await gatewayWith({ apiKey: key, requireLiveKey: true })
        .charge(chargeRequest)
        .catch((thrown: unknown) => thrown);

      // Assess
      expect(error).toBeInstanceOf(PaymentGatewayError);
      expect((error as Error).message).toMatch(message);
      expect(stripe.requests).toEqual([]);
      if (key) expect((error as Error).message).not.toContain(key);
    });

    it('accepts a live restricted key where money must move', async () => {
      // Prepare
      replyWith(200, 'payment_intent.succeeded');

      // Act
      const result = await gatewayWith({
        apiKey: 'rk_live_51FakeRestricted',
        requireLiveKey: true,
      }).charge(chargeRequest);

      // Assess
      expect(result.status).toBe('SUCCEEDED');
    });
  });
});
