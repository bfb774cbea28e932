import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './proxy';

// A page on any web site can make a browser send requests to 127.0.0.1, and a DNS name it controls
// can be re-pointed at 127.0.0.1 after the page loads (DNS rebinding). Local endpoints hold no
// credentials, so the two telltales are checked instead: the Host a browser names (the attacker's
// domain after rebinding) and the Origin / Sec-Fetch-Site it adds to cross-site requests.
// https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Sec-Fetch-Site

const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;
const LOCALHOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*localhost\.?$/i;
const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Whether a `Host` header value names this machine's loopback interface: `localhost`,
 * `*.localhost`, `127.x.x.x` or `[::1]`, each with or without a port.
 *
 * @example
 * isLoopbackHost('127.0.0.1:4566'); // true
 * isLoopbackHost('bucket.s3.localhost:4566'); // true
 * isLoopbackHost('127.0.0.1.evil.com'); // false
 */
export function isLoopbackHost(host: string | undefined): boolean {
  const match = HOST_HEADER.exec(host?.trim() ?? '');
  const name = match?.[1]?.toLowerCase();
  if (!match || !name) return false;
  if (match[2] !== undefined && Number(match[2]) > 65_535) return false;
  if (name.startsWith('[')) return canonicalIpv6(name) === '[::1]';
  const octets = IPV4_LOOPBACK.exec(name);
  if (octets) return octets.slice(1).every((octet) => Number(octet) <= 255);
  return LOCALHOST_NAME.test(name);
}

function canonicalIpv6(bracketed: string): string | undefined {
  try {
    return new URL(`http://${bracketed}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Whether an `Origin` header value is a page served from this machine (http or https on a
 * loopback host). `null` (sandboxed frames, `file:` pages) is not.
 *
 * @example
 * isLoopbackOrigin('http://localhost:5173'); // true
 * isLoopbackOrigin('https://evil.example.com'); // false
 */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.host);
}

/**
 * Why a request must be refused by a local-only endpoint, or undefined when it may pass: its
 * `Host` must be a loopback name, and a browser's cross-origin request (an `Origin` that is not a
 * loopback origin, or `Sec-Fetch-Site: cross-site`) is refused. AWS SDKs and the CLI send
 * `Host: 127.0.0.1:<port>` and no `Origin`, so they pass.
 *
 * @example
 * refusal({ host: '127.0.0.1:4566' }); // undefined
 * refusal({ host: 'evil.example.com' }); // 'Host "evil.example.com" is not …'
 */
export function refusal(headers: IncomingHttpHeaders): string | undefined {
  const { host, origin } = headers;
  if (!host) {
    return 'the request has no Host header; this local endpoint answers only requests addressed to localhost, 127.0.0.1 or [::1]';
  }
  if (!isLoopbackHost(host)) {
    return `Host "${host}" is not a loopback name or address; this local endpoint answers only requests addressed to localhost, 127.0.0.1 or [::1] (a guard against DNS rebinding)`;
  }
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    return `cross-origin request from Origin "${origin}" refused: only pages served from localhost, 127.0.0.1 or [::1] may call this local endpoint`;
  }
  if (String(headers['sec-fetch-site'] ?? '').toLowerCase() === 'cross-site') {
    return 'cross-site browser request (Sec-Fetch-Site: cross-site) refused: this local endpoint serves local tools only';
  }
  return undefined;
}

/**
 * Answers 403 with a JSON problem saying why.
 *
 * @example
 * sendRefusal(res, 'Host "evil.example.com" is not a loopback name or address');
 */
export function sendRefusal(res: ServerResponse, reason: string): void {
  sendJson(res, 403, { title: 'Forbidden', status: 403, detail: reason });
}

/**
 * Answers 403 and returns true when the request must be refused (see {@link refusal}); returns
 * false, having sent nothing, when it may pass.
 *
 * @example
 * createServer((req, res) => {
 *   if (refuseUnlessLoopback(req, res)) return;
 *   // … serve the request
 * });
 */
export function refuseUnlessLoopback(req: IncomingMessage, res: ServerResponse): boolean {
  const reason = refusal(req.headers);
  if (reason === undefined) return false;
  sendRefusal(res, reason);
  return true;
}
