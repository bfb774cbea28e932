import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_HOST } from '../net';
import { proxyTo, sendJson } from './proxy';
import { objectCreatedBy, type S3NotificationDispatcher } from './s3Notifications';

/**
 * The SigV4 service name a request is signed for: from the Authorization header's credential scope
 * (`Credential=AKID/20261127/eu-west-1/sqs/aws4_request`) or, for presigned URLs, the
 * `X-Amz-Credential` query parameter.
 */
export function signedServiceName(
  headers: Record<string, string | string[] | undefined>,
  url: string,
): string | undefined {
  const authorization = headers.authorization;
  const scope =
    (typeof authorization === 'string'
      ? /Credential=([^,\s]+)/.exec(authorization)?.[1]
      : undefined) ??
    new URL(url, 'http://local').searchParams.get('X-Amz-Credential') ??
    undefined;
  return scope?.split('/')[3];
}

export interface AwsGateway {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface AwsGatewayOptions {
  /** SigV4 service name (`sqs`, `sns`, `dynamodb`, `s3`, `ses`, `email`) → emulator port. */
  routes: Record<string, number>;
  /** Sends buckets' event notifications after objects are created (the emulator sends none). */
  s3Notifications?: S3NotificationDispatcher;
  onNotificationError?: (error: Error) => void;
}

/**
 * One endpoint for every emulated AWS service, LocalStack-style: each request goes to the emulator
 * of the service its signature names, so `AWS_ENDPOINT_URL=http://127.0.0.1:4566` or
 * `aws --endpoint-url http://127.0.0.1:4566` reach them all.
 */
export async function startAwsGateway(
  port: number,
  options: AwsGatewayOptions,
): Promise<AwsGateway> {
  const { routes, s3Notifications } = options;
  const server: Server = createServer((req, res) => {
    const service = signedServiceName(req.headers, req.url ?? '/');
    const target = service ? routes[service] : undefined;
    if (target === undefined) {
      sendJson(res, 400, {
        title: 'Bad Request',
        detail: service
          ? `service "${service}" is not emulated locally; available: ${Object.keys(routes).join(', ')}`
          : 'unsigned request: sign it with any credentials (the local cloud accepts all) so its service can be told',
      });
      return;
    }
    const created = service === 's3' && s3Notifications ? objectCreatedBy(req) : undefined;
    proxyTo(target, req, res, (status) => {
      if (!created || !s3Notifications || status < 200 || status >= 300) return;
      s3Notifications
        .objectCreated(created, req.socket.remoteAddress ?? LOCAL_HOST)
        .catch((error: Error) => options.onNotificationError?.(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOCAL_HOST, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${LOCAL_HOST}:${actual}`,
    port: actual,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
