import { DEFAULTS, loadConfig } from '../../src/config';

const base = {
  MEDIA_BUCKET: 'media',
  UPLOAD_PREFIX: 'uploads/',
  THUMBNAIL_PREFIX: 'thumbnails/',
};

describe('loadConfig', () => {
  it('uses the defaults when nothing overrides them', () => {
    expect(loadConfig(base)).toEqual({
      bucket: 'media',
      prefixes: { uploadPrefix: 'uploads/', thumbnailPrefix: 'thumbnails/' },
      limits: { maxPixels: DEFAULTS.maxPixels, maxBytes: DEFAULTS.maxUploadBytes },
      uploadUrlTtlSeconds: 300,
    });
  });

  it('takes the limits from the environment', () => {
    const config = loadConfig({
      ...base,
      THUMBNAIL_MAX_PIXELS: '1000000',
      MAX_UPLOAD_BYTES: '2048',
      UPLOAD_URL_TTL_SECONDS: '60',
    });

    expect(config.limits).toEqual({ maxPixels: 1_000_000, maxBytes: 2048 });
    expect(config.uploadUrlTtlSeconds).toBe(60);
  });

  it('fails the cold start naming a malformed or missing setting', () => {
    expect(() => loadConfig({ ...base, THUMBNAIL_MAX_PIXELS: 'lots' })).toThrow(
      'invalid settings: THUMBNAIL_MAX_PIXELS',
    );
    expect(() => loadConfig({ ...base, MEDIA_BUCKET: '' })).toThrow('MEDIA_BUCKET is not set');
  });

  it.each(['301', String(7 * 24 * 3600)])(
    'fails the cold start for upload URLs living longer than 5 minutes (%s s)',
    (ttl) => {
      expect(() => loadConfig({ ...base, UPLOAD_URL_TTL_SECONDS: ttl })).toThrow(
        'invalid settings: UPLOAD_URL_TTL_SECONDS',
      );
    },
  );

  it('refuses thumbnails inside the upload prefix, which would thumbnail thumbnails', () => {
    expect(() => loadConfig({ ...base, THUMBNAIL_PREFIX: 'uploads/thumbs/' })).toThrow(
      'THUMBNAIL_PREFIX must not be inside UPLOAD_PREFIX',
    );
  });
});
