import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { LOCAL_HOST } from '../net';

/**
 * Decides from an upstream answer to send something else instead: resolves with what to send, or
 * undefined (having read nothing of the answer) to let it through.
 */
export type AnswerInterceptor = (
  answer: IncomingMessage,
) => Promise<((res: ServerResponse) => void) | undefined> | undefined;

/**
 * Streams a request to 127.0.0.1:`port` and the answer back, headers (Host included) untouched;
 * `onAnswered` runs once the whole answer has gone through. `body` replaces the request's stream
 * when it was read already (to authorize it); `intercept` may replace the answer.
 */
export function proxyTo(
  port: number,
  req: IncomingMessage,
  res: ServerResponse,
  onAnswered?: (statusCode: number) => void,
  options: { body?: Buffer; intercept?: AnswerInterceptor } = {},
): void {
  const upstream = request(
    { host: LOCAL_HOST, port, method: req.method, path: req.url ?? '/', headers: req.headers },
    (answer) => {
      const passThrough = () => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => onAnswered?.(answer.statusCode ?? 502));
      };
      const replacement = options.intercept?.(answer);
      if (!replacement) {
        passThrough();
        return;
      }
      replacement.then(
        (send) => (send ? send(res) : passThrough()),
        (error: Error) => {
          answer.resume();
          if (!res.headersSent) sendJson(res, 502, { title: 'Bad Gateway', detail: error.message });
          else res.end();
        },
      );
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) {
      res.writeHead(502, { 'Content-Type': 'application/json' });
    }
    res.end(
      JSON.stringify({
        title: 'Bad Gateway',
        detail: `upstream on port ${port}: ${error.message}`,
      }),
    );
  });
  if (options.body) upstream.end(options.body);
  else req.pipe(upstream);
}

/** Sends a JSON body with a status. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
): void {
  res.writeHead(status, { 'Content-Type': `${contentType}; charset=utf-8` });
  res.end(JSON.stringify(body, null, 2));
}
