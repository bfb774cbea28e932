import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { LOCAL_HOST } from '../net';

/**
 * Streams a request to 127.0.0.1:`port` and the answer back, headers (Host included) untouched;
 * `onAnswered` runs once the whole answer has gone through.
 */
export function proxyTo(
  port: number,
  req: IncomingMessage,
  res: ServerResponse,
  onAnswered?: (statusCode: number) => void,
): void {
  const upstream = request(
    { host: LOCAL_HOST, port, method: req.method, path: req.url ?? '/', headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', () => onAnswered?.(answer.statusCode ?? 502));
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
  req.pipe(upstream);
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
