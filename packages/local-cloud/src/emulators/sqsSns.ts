import { LOCAL_HOST } from '../net';
import type { RunningEmulator } from './dynamodb';

/**
 * SQS and SNS (fauxqs, in this process). Its own `startFauxqs` listens on every interface, so the
 * app is built and bound to 127.0.0.1 here.
 */
export async function startSqsSns(port: number): Promise<RunningEmulator> {
  const { buildApp } = await import('fauxqs');
  // Queue URLs are built from the request's Host header, so they point at whichever endpoint was called.
  const app = buildApp({ logger: false });
  await app.listen({ port, host: LOCAL_HOST });
  return {
    name: 'sqs+sns',
    endpoint: `http://${LOCAL_HOST}:${port}`,
    port,
    stop: async () => {
      await app.close();
    },
  };
}
