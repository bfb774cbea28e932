import { createHash } from 'node:crypto';

/**
 * A UUID (RFC 9562 version 8) derived from the given parts. Use it when the same fact may be
 * published more than once — a retried handler, a sweeper republishing — so every copy carries
 * the same eventId and consumers drop the duplicates.
 *
 * @example
 * ```ts
 * deterministicEventId('OrderCreated', orderId); // same input, same id
 * ```
 */
export function deterministicEventId(...parts: string[]): string {
  // Length-prefixed parts: ('ab', 'c') and ('a', 'bc') must not collide.
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:${part}`);
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80; // version 8
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
