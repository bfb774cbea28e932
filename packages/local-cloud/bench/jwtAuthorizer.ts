import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { JwtAuthorizer } from '../src/gateway/jwtAuthorizer';

/**
 * What the base URL's token check costs per request: `tsx bench/jwtAuthorizer.ts [requests]`.
 * Verifies RS256 ID tokens the way the router does (keys fetched once from a JWKS URL, then
 * cached) and prints the median and p95 per check, beside a request that sends no token.
 */
async function main() {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: pnpm --filter @shop/local-cloud bench:auth [requests=5000]\n\nMedian and p95 of one ID-token check, beside a request without a token.\n',
    );
    return;
  }
  const requests = Number(positionals[0] ?? 5000);
  const issuer = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Bench0001';
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256' };
  const server = createServer((_req, res) => res.end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
  const authorizer = new JwtAuthorizer(() => url);
  const config = { issuer, audience: ['bench-client'], header: 'authorization' };
  const token = await new SignJWT({ sub: 'u', email: 'ada@example.com', email_verified: true })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setIssuer(issuer)
    .setAudience('bench-client')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

  const time = async (header: string | undefined) => {
    const samples: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = process.hrtime.bigint();
      await authorizer.check(header, config);
      samples.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    samples.sort((a, b) => a - b);
    const at = (p: number) => samples[Math.floor((p / 100) * (samples.length - 1))]?.toFixed(1);
    return `median ${at(50)} µs  p95 ${at(95)} µs`;
  };
  await authorizer.check(`Bearer ${token}`, config); // fetch the keys once, as the router does
  process.stdout.write(
    `valid RS256 ID token  ${await time(`Bearer ${token}`)}  (${requests} checks)\n`,
  );
  process.stdout.write(`no token              ${await time(undefined)}\n`);
  server.close();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
