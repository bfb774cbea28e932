import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CognitoError } from './errors';
import { issuerOf } from './tokens';
import type { UserPools } from './UserPools';

// The cognito-idp JSON protocol over HTTP: `X-Amz-Target` actions, AWS error bodies, and the
// pools' OpenID discovery document and JWKS.

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const MAX_BODY_BYTES = 1024 * 1024;

/** Answers one request: a discovery document or key set, or an action, or a Cognito error. */
export async function route(
  req: IncomingMessage,
  res: ServerResponse,
  pools: UserPools,
  publicEndpoint: () => string,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  const wellKnown = /^\/([^/]+)\/\.well-known\/(openid-configuration|jwks\.json)$/.exec(path);
  if (req.method === 'GET' && wellKnown) {
    const [, poolId = '', document] = wellKnown;
    const jwks = pools.jwks(poolId);
    if (!jwks) {
      sendJson(res, 404, { message: `User pool ${poolId} does not exist.` });
      return;
    }
    sendJson(res, 200, document === 'jwks.json' ? jwks : discovery(poolId, publicEndpoint()));
    return;
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
    sendAwsError(
      res,
      new CognitoError(
        'UnknownOperationException',
        `${req.method} ${path}${target ? ` (${target})` : ''} is not a Cognito user pools operation`,
      ),
    );
    return;
  }
  const actionName = target.slice(TARGET_PREFIX.length);
  const action = Object.hasOwn(pools.actions, actionName) ? pools.actions[actionName] : undefined;
  try {
    if (!action)
      throw new CognitoError(
        'UnknownOperationException',
        `${actionName} is not an operation the local Cognito emulates`,
      );
    const params = await readJson(req);
    const result = await action(params, signedRegion(req));
    send(res, 200, 'application/x-amz-json-1.1', result);
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    sendAwsError(res, error);
  }
}

/** The OpenID discovery document, limited to what exists locally (no hosted UI endpoints). */
export function discovery(poolId: string, publicEndpoint: string) {
  return {
    issuer: issuerOf(poolId),
    jwks_uri: `${publicEndpoint}/${poolId}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'token'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
  };
}

/** The region in a SigV4 credential scope (`Credential=AKID/20261127/eu-west-1/cognito-idp/…`). */
export function signedRegion(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  const scope =
    typeof authorization === 'string' ? /Credential=([^,\s]+)/.exec(authorization)?.[1] : undefined;
  return scope?.split('/')[2];
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new CognitoError('SerializationException', 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new CognitoError('SerializationException', 'The request body is not a JSON object');
  }
}

export function sendAwsError(res: ServerResponse, error: CognitoError) {
  const status = error.code === 'InternalErrorException' ? 500 : 400;
  res.setHeader('x-amzn-ErrorType', error.code);
  send(res, status, 'application/x-amz-json-1.1', { __type: error.code, message: error.message });
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  send(res, status, 'application/json', body);
}

export function send(res: ServerResponse, status: number, contentType: string, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}
