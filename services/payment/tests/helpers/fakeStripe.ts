import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { StripeEndpoint } from '../../src/adapters/StripePaymentGateway';

/** A response body recorded from the Stripe API, from tests/responses/stripe/<name>.json. */
export function stripeResponse(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '../responses/stripe', `${name}.json`), 'utf8'));
}

/** How the fake answers one request: a JSON body, a connection dropped, or no answer at all. */
export type StripeReply = { status: number; body: unknown } | 'drop-connection' | 'never-answer';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The form-encoded body the SDK sent (`metadata[orderId]`, `amount`, …). */
  form: URLSearchParams;
}

/**
 * A stand-in for api.stripe.com on 127.0.0.1 and a free port: it records every request the real
 * SDK sends and answers each with the next scripted reply (500 when none is left).
 *
 * @example
 * ```ts
 * const stripe = await FakeStripe.start();
 * stripe.reply({ status: 200, body: stripeResponse('payment_intent.succeeded') });
 * const gateway = new StripePaymentGateway({ apiKey: 'sk_test_x', endpoint: stripe.endpoint });
 * await stripe.stop();
 * ```
 */
export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  readonly #replies: StripeReply[] = [];
  readonly #server: Server;
  #requestCount = 0;

  private constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
        });
        const reply = this.#replies.shift() ?? {
          status: 500,
          body: { error: { type: 'api_error', message: 'fake Stripe: no reply scripted' } },
        };
        if (reply === 'never-answer') return;
        if (reply === 'drop-connection') {
          request.socket.destroy();
          return;
        }
        this.#requestCount += 1;
        response.writeHead(reply.status, {
          'content-type': 'application/json',
          'request-id': `req_fake${this.#requestCount}`,
          ...(request.headers['idempotency-key']
            ? { 'idempotency-key': request.headers['idempotency-key'] }
            : {}),
        });
        response.end(JSON.stringify(reply.body));
      });
    });
  }

  static async start(): Promise<FakeStripe> {
    const fake = new FakeStripe();
    await new Promise<void>((resolve, reject) => {
      fake.#server.once('error', reject);
      fake.#server.listen(0, '127.0.0.1', resolve);
    });
    return fake;
  }

  get endpoint(): StripeEndpoint {
    const { port } = this.#server.address() as AddressInfo;
    return { host: '127.0.0.1', port, protocol: 'http' };
  }

  /** Queues answers for the next requests, in order. */
  reply(...replies: StripeReply[]): void {
    this.#replies.push(...replies);
  }

  /** Forgets requests and unused replies between tests. */
  reset(): void {
    this.requests.length = 0;
    this.#replies.length = 0;
  }

  async stop(): Promise<void> {
    // Keep-alive sockets and requests left unanswered would hold the server open.
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}
