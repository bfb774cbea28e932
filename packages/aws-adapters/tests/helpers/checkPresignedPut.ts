import { createHash, createHmac } from 'node:crypto';

/** A PUT as a client sends it with a presigned URL: the URL it uses and the headers it sends. */
export interface PutAttempt {
  url: string;
  headers: Record<string, string>;
  /** When S3 receives it. */
  at: Date;
}

/** What S3 would answer, as far as the signature is concerned. */
export type PresignedVerdict = 'accepted' | 'expired' | 'signature mismatch';

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) =>
  createHmac('sha256', key).update(text, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 wants query names and values. */
const encode = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** `20261127T100000Z` → a Date. */
const parseAmzDate = (value: string) =>
  new Date(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

/**
 * Checks a PUT against the query-string SigV4 signature of its URL the way S3 does, written from
 * the SigV4 specification rather than with the SDK's signer, so the SDK is not checked against
 * itself: the canonical request is built from what the client actually sends (its path, its
 * query, the values of the signed headers), signed with the secret, and compared; the URL's date
 * and expiry bound when it is accepted.
 *
 * S3 signs the path as sent (no second encoding) and, for presigned URLs, an unsigned payload.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 *
 * @example
 * ```ts
 * checkPresignedPut({ url, headers: upload.headers, at: NOW }, credentials); // 'accepted'
 * ```
 */
export function checkPresignedPut(
  attempt: PutAttempt,
  credentials: { secretAccessKey: string },
): PresignedVerdict {
  const url = new URL(attempt.url);
  const query = url.searchParams;
  const amzDate = query.get('X-Amz-Date') ?? '';
  const expires = Number(query.get('X-Amz-Expires'));
  const signedAt = parseAmzDate(amzDate);
  if (attempt.at.getTime() > signedAt.getTime() + expires * 1000) return 'expired';

  const [, scopeDate = '', region = '', service = ''] = (query.get('X-Amz-Credential') ?? '').split(
    '/',
  );
  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';');
  const sent = new Map(
    Object.entries(attempt.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  sent.set('host', url.host);

  const canonicalQuery = [...query.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(sent.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    'PUT',
    url.pathname,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [scopeDate, region, service, 'aws4_request'].reduce<Buffer | string>(
    (key, part) => hmac(key, part),
    `AWS4${credentials.secretAccessKey}`,
  );
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return signature === query.get('X-Amz-Signature') ? 'accepted' : 'signature mismatch';
}
