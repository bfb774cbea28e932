/**
 * Defaults, each overridable by the environment variable beside it (serverless.yml sets them).
 *
 * - 40 MP: every camera photo up to 40 MP passes; a 20000×20000 bomb (400 MP) does not. What a
 *   full decode at the limit costs is in BENCHMARKS.md (the function's memory is sized for it).
 * - 25 MiB: larger than any JPEG/PNG/GIF a shop needs for a product picture (an uncompressed
 *   RGBA TIFF or 32-bit BMP of up to ~6.5 MP fits).
 */
export const DEFAULTS = {
  maxPixels: 40_000_000, // THUMBNAIL_MAX_PIXELS
  maxUploadBytes: 25 * 1024 * 1024, // MAX_UPLOAD_BYTES
  uploadUrlTtlSeconds: 300, // UPLOAD_URL_TTL_SECONDS
} as const;
