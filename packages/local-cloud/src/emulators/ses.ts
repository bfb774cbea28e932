import type { AddressInfo } from 'node:net';
import sesServer from 'aws-ses-v2-local';
import { LOCAL_HOST } from '../net';
import { handlerOf, type RunningEmulator } from './dynamodb';

/**
 * SES v2 (and v1) with a mail store: sent emails are listed at `<endpoint>/store` as JSON and shown
 * at `<endpoint>/` in a small web viewer.
 */
export async function startSes(port: number): Promise<RunningEmulator> {
  const server = await sesServer({ host: LOCAL_HOST, port });
  const actual = (server.address() as AddressInfo).port;
  return {
    name: 'ses',
    endpoint: `http://${LOCAL_HOST}:${actual}`,
    port: actual,
    handle: handlerOf(server),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
