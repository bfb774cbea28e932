import type { IncomingMessage, ServerResponse } from 'node:http';

/** A field an RFC 9457 problem names, as the shop's APIs send them. */
export interface ProblemIssue {
  path: string;
  message: string;
}

/**
 * Answers with an RFC 9457 problem document, the shape every API of the shop uses, so the
 * console shows its own refusals the way it shows theirs.
 *
 * @example
 * sendProblem(res, 403, 'Forbidden', 'administrators only');
 */
export function sendProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  extra: { issues?: ProblemIssue[]; headers?: Record<string, string> } = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...extra.headers,
  });
  res.end(
    JSON.stringify({
      type: 'about:blank',
      title,
      status,
      detail,
      ...(extra.issues ? { issues: extra.issues } : {}),
    }),
  );
}

/**
 * Answers 200 (or `status`) with a JSON body that is never cached: everything the console
 * shows is the live state of the local cloud.
 *
 * @example
 * sendData(res, { queues: [] });
 */
export function sendData(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/**
 * The request body as text, refused above `limitBytes` (the console's own routes take small
 * JSON bodies only; uploads are streamed, never read whole).
 *
 * @example
 * const body = await readBody(req, 16_384);
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new RangeError(`the body is larger than ${limitBytes} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
