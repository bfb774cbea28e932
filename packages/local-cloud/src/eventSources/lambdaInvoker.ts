import { request } from 'node:http';
import { LOCAL_HOST } from '../net';

export interface InvocationResult {
  /** The handler threw (or timed out): Lambda's `FunctionError`. */
  failed: boolean;
  payload: unknown;
  durationMs: number;
}

/**
 * Invokes a function through serverless-offline's Lambda API (`/2015-03-31/functions/…/invocations`),
 * the way the AWS event source mappings invoke it: synchronously, with the event as the payload.
 */
export function invokeLocalFunction(
  lambdaPort: number,
  functionName: string,
  event: unknown,
): Promise<InvocationResult> {
  const body = JSON.stringify(event);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: LOCAL_HOST,
        port: lambdaPort,
        method: 'POST',
        path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let payload: unknown = text;
          try {
            payload = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON: keep the text.
          }
          const functionError = res.headers['x-amz-function-error'] !== undefined;
          const errorShaped =
            typeof payload === 'object' &&
            payload !== null &&
            'errorMessage' in payload &&
            'errorType' in payload;
          resolve({
            failed: functionError || errorShaped || (res.statusCode ?? 500) >= 400,
            payload,
            durationMs: Date.now() - started,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
