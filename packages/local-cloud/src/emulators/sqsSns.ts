import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOCAL_HOST } from '../net';
import { handlerOf, type RunningEmulator } from './dynamodb';

/**
 * fauxqs's SQS store names queues `http://sqs.<region>.localhost:<port>/…` unless its `host` is
 * empty, and `*.localhost` does not resolve on every machine. With an empty host, queue URLs take
 * the host of the request that created them: the local AWS endpoint, which resolves everywhere.
 * The store class is not exported, so it is loaded from the (pinned) package's files.
 */
async function sqsStoreWithRequestHostUrls(): Promise<unknown> {
  const file = (require.resolve.paths('fauxqs') ?? [])
    .map((dir) => join(dir, 'fauxqs', 'dist', 'sqs', 'sqsStore.js'))
    .find((candidate) => existsSync(candidate));
  if (!file) throw new Error('fauxqs is not installed; run pnpm install');
  const { SqsStore } = (await import(pathToFileURL(file).href)) as {
    SqsStore: new () => { host: string };
  };
  const store = new SqsStore();
  store.host = '';
  return store;
}

/**
 * SQS, SNS and S3 (fauxqs, in this process). Its own `startFauxqs` listens on every interface, so
 * the app is built and bound to 127.0.0.1 here.
 */
export async function startSqsSns(port: number): Promise<RunningEmulator> {
  const { buildApp } = await import('fauxqs');
  const sqsStore = await sqsStoreWithRequestHostUrls();
  // Only the SQS store is replaced; buildApp makes the SNS and S3 stores, wired to it.
  type Stores = NonNullable<NonNullable<Parameters<typeof buildApp>[0]>['stores']>;
  const app = buildApp({ logger: false, stores: { sqsStore } as Stores });
  await app.listen({ port, host: LOCAL_HOST });
  const actual = (app.server.address() as AddressInfo).port;
  return {
    name: 'sqs+sns+s3',
    endpoint: `http://${LOCAL_HOST}:${actual}`,
    port: actual,
    handle: handlerOf(app.server),
    stop: async () => {
      await app.close();
    },
  };
}
