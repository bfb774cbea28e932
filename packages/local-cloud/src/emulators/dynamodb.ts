/// <reference path="../types/dynalite.d.ts" />
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { LOCAL_HOST } from '../net';

export interface RunningEmulator {
  name: string;
  endpoint: string;
  port: number;
  /**
   * Serves one request in this process, as if it had arrived on `port`: how the AWS endpoint hands
   * requests on without a second HTTP hop (see gateway/awsGateway.ts).
   */
  handle(req: IncomingMessage, res: ServerResponse): void;
  stop(): Promise<void>;
}

/** The emulator's own request listener: the request goes where its server would send it. */
export function handlerOf(server: Server): RunningEmulator['handle'] {
  return (req, res) => {
    server.emit('request', req, res);
  };
}

/** DynamoDB (dynalite, in memory, in this process); tables are ACTIVE as soon as they are created. */
export async function startDynamoDb(port: number): Promise<RunningEmulator> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOCAL_HOST, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    name: 'dynamodb',
    endpoint: `http://${LOCAL_HOST}:${actual}`,
    port: actual,
    handle: handlerOf(server),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
