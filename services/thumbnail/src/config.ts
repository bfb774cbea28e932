import { requireEnv } from '@shop/aws-adapters';
import * as z from '@shop/contracts/zod';
import type { MediaPrefixes, ThumbnailLimits } from '@shop/thumbnail-domain';
import { DEFAULTS } from './defaults';

export { DEFAULTS } from './defaults';

const positiveInteger = (fallback: number) =>
  z._default(z.optional(z.coerce.number().check(z.int(), z.positive())), fallback);

const EnvironmentSchema = z.object({
  THUMBNAIL_MAX_PIXELS: positiveInteger(DEFAULTS.maxPixels),
  MAX_UPLOAD_BYTES: positiveInteger(DEFAULTS.maxUploadBytes),
  // The signer refuses longer: an upload URL is for one PUT right after asking for it.
  UPLOAD_URL_TTL_SECONDS: z.pipe(
    positiveInteger(DEFAULTS.uploadUrlTtlSeconds),
    z.number().check(z.lte(300)),
  ),
});

export interface ThumbnailConfig {
  bucket: string;
  prefixes: MediaPrefixes;
  limits: ThumbnailLimits;
  uploadUrlTtlSeconds: number;
}

/**
 * The service's settings from its environment; a missing or malformed one fails the cold start
 * with its name.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ThumbnailConfig {
  const parsed = EnvironmentSchema.safeParse({
    THUMBNAIL_MAX_PIXELS: env.THUMBNAIL_MAX_PIXELS || undefined,
    MAX_UPLOAD_BYTES: env.MAX_UPLOAD_BYTES || undefined,
    UPLOAD_URL_TTL_SECONDS: env.UPLOAD_URL_TTL_SECONDS || undefined,
  });
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`invalid settings: ${names}; they come from the service's serverless.yml`);
  }
  const prefixes = {
    uploadPrefix: requireEnv('UPLOAD_PREFIX', env),
    thumbnailPrefix: requireEnv('THUMBNAIL_PREFIX', env),
  };
  if (prefixes.thumbnailPrefix.startsWith(prefixes.uploadPrefix)) {
    // Thumbnails under the upload prefix would notify the queue and be thumbnailed in turn.
    throw new Error('THUMBNAIL_PREFIX must not be inside UPLOAD_PREFIX');
  }
  return {
    bucket: requireEnv('MEDIA_BUCKET', env),
    prefixes,
    limits: { maxPixels: parsed.data.THUMBNAIL_MAX_PIXELS, maxBytes: parsed.data.MAX_UPLOAD_BYTES },
    uploadUrlTtlSeconds: parsed.data.UPLOAD_URL_TTL_SECONDS,
  };
}
