import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveTrails } from './liveTrail';

/** What the order stream needs from the rest of the console. */
export interface OrderStreamDeps {
  trails: LiveTrails;
  /** The order's correlation id, from the orders table. */
  correlationIdOf(orderId: string): Promise<string | undefined>;
  /** The emails that carry this correlation id (their `X-Correlation-Id` header). */
  emailsOf(correlationId: string): Promise<unknown[]>;
}

/** How often an undecided order is read again even when no log line said it moved. */
const PENDING_REFRESH_MS = 5_000;
/** Proxies and browsers drop an idle stream; a comment line now and then keeps it open. */
const KEEP_ALIVE_MS = 15_000;
/** A saga step logs several lines at once: read the order once after them, not once per line. */
const REFRESH_DEBOUNCE_MS = 150;

/**
 * `GET /_local/console/api/orders/{id}/stream`: server-sent events for one order, as long as the
 * page listens. The order is read through the real API (`GET /orders/{id}` on the base URL) with
 * the caller's own token, so a customer streams only their own orders (anyone else's answers
 * 404, passed on as it came); then:
 * - `order`: the order view, again whenever a log line of its flow appears and it changed;
 * - `trail`: log lines of its flow (correlation id), every service, the past ones first;
 * - `emails`: the emails of its flow, whenever one more was sent.
 *
 * Returns the function that ends the stream (the local cloud stopping).
 */
export async function streamOrder(
  req: IncomingMessage,
  res: ServerResponse,
  orderId: string,
  deps: OrderStreamDeps,
): Promise<() => void> {
  // The base URL is this very server: the API goes through its authorizer and throttling.
  const api = `http://127.0.0.1:${req.socket.localPort}/orders/${encodeURIComponent(orderId)}`;
  const authorization = req.headers.authorization ?? '';
  const readOrder = () => fetch(api, { headers: { authorization } });

  const first = await readOrder();
  if (!first.ok) {
    // The API's own answer (401, 404 problem…) is what the page shows.
    res.writeHead(first.status, {
      'Content-Type': first.headers.get('content-type') ?? 'application/json',
      'Cache-Control': 'no-store',
      ...(first.headers.get('www-authenticate')
        ? { 'WWW-Authenticate': first.headers.get('www-authenticate') as string }
        : {}),
    });
    res.end(await first.text());
    return () => {};
  }
  let view = (await first.json()) as { status?: string };
  const correlationId = await deps.correlationIdOf(orderId);

  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  const send = (event: string, data: unknown) => {
    if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  send('order', view);
  if (correlationId) {
    send('trail', { correlationId, lines: deps.trails.lines(correlationId) });
  }
  let emailCount = -1;
  const sendEmails = async () => {
    if (!correlationId) return;
    const emails = await deps.emailsOf(correlationId);
    if (emails.length === emailCount) return;
    emailCount = emails.length;
    send('emails', emails);
  };

  let closed = false;
  let debounce: NodeJS.Timeout | undefined;
  const refresh = async () => {
    const answer = await readOrder();
    if (closed) return;
    if (!answer.ok) {
      // The token expired, or the order went: say why and let the page decide.
      send('problem', await answer.json().catch(() => ({ title: answer.statusText })));
      close();
      return;
    }
    const next = (await answer.json()) as { status?: string };
    if (JSON.stringify(next) !== JSON.stringify(view)) {
      view = next;
      send('order', view);
    }
    await sendEmails();
  };
  const refreshSoon = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      refresh().catch((error: Error) =>
        send('problem', { title: 'Refresh failed', detail: error.message }),
      );
    }, REFRESH_DEBOUNCE_MS);
  };
  const unsubscribe = correlationId
    ? deps.trails.subscribe(correlationId, (line) => {
        send('trail', { correlationId, lines: [line] });
        refreshSoon();
      })
    : () => {};
  const pendingTimer = setInterval(() => {
    if (view.status === 'PENDING') refreshSoon();
  }, PENDING_REFRESH_MS);
  const keepAlive = setInterval(() => {
    if (!res.writableEnded) res.write(': keep-alive\n\n');
  }, KEEP_ALIVE_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(debounce);
    clearInterval(pendingTimer);
    clearInterval(keepAlive);
    unsubscribe();
    res.end();
  };
  req.on('close', close);
  await sendEmails();
  return close;
}
