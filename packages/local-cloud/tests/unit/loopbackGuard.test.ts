import type { ServerResponse } from 'node:http';
import {
  isLoopbackHost,
  isLoopbackOrigin,
  refusal,
  refuseUnlessLoopback,
} from '../../src/gateway/loopbackGuard';

describe('Function: isLoopbackHost', () => {
  it.each([
    'localhost',
    'localhost:4566',
    'LocalHost:4566',
    'localhost.',
    'bucket.localhost',
    'bucket.s3.localhost:4566',
    '127.0.0.1',
    '127.0.0.1:4566',
    '127.1.2.3:80',
    '127.255.255.255',
    '[::1]',
    '[::1]:4566',
    '[0:0:0:0:0:0:0:1]:4566',
  ])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    'evil.example.com',
    'evil.example.com:4566',
    '127.0.0.1.evil.com',
    '127.0.0.1.evil.com:4566',
    'localhost.evil.com',
    'evil-localhost',
    'evillocalhost:4566',
    '.localhost',
    '128.0.0.1',
    '127.0.0.256',
    '10.0.0.1',
    '0.0.0.0',
    '[::2]',
    '[fe80::1]:4566',
    '::1',
    'localhost:99999',
    'localhost:',
    'user@localhost',
    'localhost/path',
    'localhost 127.0.0.1',
    '',
  ])('refuses %j', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses a missing host', () => {
    expect(isLoopbackHost(undefined)).toBe(false);
  });
});

describe('Function: isLoopbackOrigin', () => {
  it.each([
    'http://localhost:5173',
    'https://127.0.0.1',
    'http://[::1]:8080',
    'http://app.localhost',
  ])('accepts %s', (origin) => {
    expect(isLoopbackOrigin(origin)).toBe(true);
  });

  it.each([
    'https://evil.example.com',
    'http://localhost.evil.com',
    'http://127.0.0.1.evil.com:4566',
    'null',
    'file://',
    'chrome-extension://abcdef',
    'not a url',
  ])('refuses %j', (origin) => {
    expect(isLoopbackOrigin(origin)).toBe(false);
  });
});

describe('Function: refusal', () => {
  it('lets an AWS SDK request through (loopback Host, no Origin)', () => {
    expect(
      refusal({ host: '127.0.0.1:4566', 'user-agent': 'aws-sdk-js/3', authorization: 'AWS4…' }),
    ).toBeUndefined();
  });

  it('lets a same-origin page on a loopback origin through', () => {
    expect(
      refusal({
        host: 'localhost:4566',
        origin: 'http://localhost:4566',
        'sec-fetch-site': 'same-origin',
      }),
    ).toBeUndefined();
  });

  it('refuses a request without Host', () => {
    expect(refusal({})).toMatch(/no Host header/);
  });

  it('refuses a rebound DNS name, naming the Host', () => {
    expect(refusal({ host: 'evil.example.com:4566' })).toMatch(
      /Host "evil\.example\.com:4566" is not a loopback/,
    );
    expect(refusal({ host: '127.0.0.1.evil.com' })).toMatch(/not a loopback/);
    expect(refusal({ host: 'localhost.evil.com' })).toMatch(/not a loopback/);
  });

  it('refuses a foreign page even when it addresses 127.0.0.1', () => {
    expect(refusal({ host: '127.0.0.1:4566', origin: 'https://evil.example.com' })).toMatch(
      /Origin "https:\/\/evil\.example\.com"/,
    );
    expect(refusal({ host: '127.0.0.1:4566', origin: 'null' })).toMatch(/cross-origin/);
  });

  it('refuses a cross-site browser request that carries no Origin', () => {
    expect(refusal({ host: '127.0.0.1:4566', 'sec-fetch-site': 'cross-site' })).toMatch(
      /Sec-Fetch-Site: cross-site/,
    );
  });

  it('accepts IPv6 loopback hosts and origins', () => {
    expect(refusal({ host: '[::1]:4566', origin: 'http://[::1]:3000' })).toBeUndefined();
  });
});

describe('Function: refuseUnlessLoopback', () => {
  /** A response that records what was sent. */
  function recordingResponse() {
    const sent: { status?: number; headers?: unknown; body?: string } = {};
    const res = {
      writeHead: (status: number, headers: unknown) => {
        sent.status = status;
        sent.headers = headers;
      },
      end: (body: string) => {
        sent.body = body;
      },
    } as unknown as ServerResponse;
    return { res, sent };
  }

  it('answers 403 with a JSON reason and reports it answered', () => {
    // Prepare
    const { res, sent } = recordingResponse();

    // Act
    const refused = refuseUnlessLoopback(
      { headers: { host: 'evil.example.com' } } as Parameters<typeof refuseUnlessLoopback>[0],
      res,
    );

    // Assess
    expect(refused).toBe(true);
    expect(sent.status).toBe(403);
    expect(sent.headers).toEqual({ 'Content-Type': 'application/json; charset=utf-8' });
    expect(JSON.parse(sent.body ?? '')).toEqual({
      title: 'Forbidden',
      status: 403,
      detail: expect.stringContaining('evil.example.com'),
    });
  });

  it('sends nothing and lets a loopback request pass', () => {
    // Prepare
    const { res, sent } = recordingResponse();

    // Act
    const refused = refuseUnlessLoopback(
      { headers: { host: '127.0.0.1:4566' } } as Parameters<typeof refuseUnlessLoopback>[0],
      res,
    );

    // Assess
    expect(refused).toBe(false);
    expect(sent).toEqual({});
  });
});
