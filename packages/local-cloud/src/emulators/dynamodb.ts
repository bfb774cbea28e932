/// <reference path="../types/dynalite.d.ts" />
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { LOCAL_HOST } from '../net';

export interface RunningEmulator {
  name: string;
  endpoint: string;
  port: number;
  stop(): Promise<void>;
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
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
