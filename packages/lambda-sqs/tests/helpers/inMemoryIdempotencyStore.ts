import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';

/**
 * Powertools' cache persistence layer over a Map: the real idempotency protocol (in-progress lock,
 * completed record, deletion after a failure) without DynamoDB or a network.
 */
export function inMemoryIdempotencyStore() {
  const entries = new Map<string, string>();
  const store = new CachePersistenceLayer({
    client: {
      get: async (name) => entries.get(name) ?? null,
      set: async (name, value, options) => {
        const key = String(name);
        // NX: only when absent, as the lock that keeps two deliveries from both running.
        if ((options as { NX?: boolean } | undefined)?.NX && entries.has(key)) return null;
        entries.set(key, String(value));
        return 'OK';
      },
      del: async (keys) => keys.filter((key) => entries.delete(key)).length,
    },
  });
  return { store, entries };
}
