import '../../testing/jsquashInJest';
import { parseEvent } from '@shop/contracts';
import { createThumbnail, THUMBNAIL_METADATA, type ThumbnailDependencies } from '../../src';
import { encodeJpeg, encodePng, encodeWebp, pixelBombPng, testCard } from '../../testing';
import { InMemoryMediaStore, RecordingPublisher } from '../helpers/fakes';

function setup() {
  const media = new InMemoryMediaStore();
  const events = new RecordingPublisher();
  const deps: ThumbnailDependencies = {
    media,
    events,
    bucket: 'shop-media-test',
    prefixes: { uploadPrefix: 'uploads/', thumbnailPrefix: 'thumbnails/' },
    limits: { maxPixels: 40_000_000, maxBytes: 1_000_000 },
  };
  return { media, events, deps };
}

const photo = encodeJpeg(testCard(400, 300));

describe('createThumbnail', () => {
  it('writes the thumbnail beside its sub-path, with the source ETag, and announces it', async () => {
    const { media, events, deps } = setup();
    const key = 'uploads/7f3a/espresso beans.jpg';
    const etag = media.add(key, photo);

    const result = await createThumbnail(deps, { key, etag, size: photo.length });

    expect(result).toMatchObject({
      outcome: 'created',
      thumbnailKey: 'thumbnails/7f3a/espresso beans_thumb.jpg',
      width: 128,
      height: 96,
      contentType: 'image/jpeg',
    });
    const stored = media.objects.get('thumbnails/7f3a/espresso beans_thumb.jpg');
    expect(stored).toMatchObject({
      contentType: 'image/jpeg',
      metadata: { [THUMBNAIL_METADATA.sourceEtag]: etag, width: '128', height: '96' },
    });
    expect(events.published).toHaveLength(1);
    const event = parseEvent(events.published[0]);
    expect(event).toMatchObject({
      eventType: 'ThumbnailCreated',
      source: 'thumbnail',
      data: {
        bucket: 'shop-media-test',
        sourceKey: key,
        thumbnailKey: 'thumbnails/7f3a/espresso beans_thumb.jpg',
        width: 128,
        height: 96,
        contentType: 'image/jpeg',
      },
    });
    expect(event.correlationId).toMatch(/^s3:uploads_7f3a_espresso_beans.jpg:[0-9a-f]{16}$/);
  });

  it('does no work twice for the same version: it only re-announces, with the same event id', async () => {
    const { media, events, deps } = setup();
    const key = 'uploads/a/photo.png';
    const etag = media.add(key, encodePng(testCard(300, 200)));
    await createThumbnail(deps, { key, etag });
    media.calls.length = 0;

    const again = await createThumbnail(deps, { key, etag: `"${etag}"` });

    expect(again).toEqual({
      outcome: 'already-done',
      thumbnailKey: 'thumbnails/a/photo_thumb.png',
    });
    expect(media.ops()).toEqual(['head']);
    expect(events.published).toHaveLength(2);
    expect(events.published[1]).toEqual({
      ...events.published[0],
      occurredAt: expect.any(String),
    });
  });

  it('makes the thumbnail again when the upload was replaced (another ETag)', async () => {
    const { media, deps } = setup();
    const key = 'uploads/a/photo.jpg';
    const first = media.add(key, photo, 'etag-old');
    await createThumbnail(deps, { key, etag: first });
    media.add(key, encodeJpeg(testCard(300, 300)), 'etag-new');
    media.calls.length = 0;

    const result = await createThumbnail(deps, { key, etag: 'etag-new' });

    expect(result).toMatchObject({ outcome: 'created', width: 128, height: 128 });
    expect(media.ops()).toEqual(['head', 'get', 'put']);
    expect(media.objects.get('thumbnails/a/photo_thumb.jpg')?.metadata['source-etag']).toBe(
      'etag-new',
    );
  });

  it('writes and announces a WebP thumbnail as WebP', async () => {
    const { media, events, deps } = setup();
    const key = 'uploads/b/beans.webp';
    media.add(key, await encodeWebp(testCard(300, 200)));

    const result = await createThumbnail(deps, { key, etag: 'e1' });

    expect(result).toMatchObject({
      outcome: 'created',
      thumbnailKey: 'thumbnails/b/beans_thumb.webp',
      contentType: 'image/webp',
      width: 128,
      height: 85,
    });
    expect(media.objects.get('thumbnails/b/beans_thumb.webp')?.contentType).toBe('image/webp');
    expect(parseEvent(events.published[0])).toMatchObject({
      eventType: 'ThumbnailCreated',
      data: { contentType: 'image/webp', width: 128, height: 85 },
    });
  });

  it('rejects a text file named .jpg without writing or announcing anything', async () => {
    const { media, events, deps } = setup();
    const etag = media.add('uploads/x/notes.jpg', Buffer.from('meeting notes, not a photo'));

    const result = await createThumbnail(deps, { key: 'uploads/x/notes.jpg', etag });

    expect(result).toEqual({
      outcome: 'rejected',
      reason: 'not-an-image',
      detail: 'not a JPEG, PNG, GIF, TIFF, BMP, WebP or AVIF (by its magic bytes)',
    });
    expect(media.ops()).toEqual(['head', 'get']);
    expect(events.published).toEqual([]);
  });

  it('rejects the pixel bomb from its header', async () => {
    const { media, deps } = setup();
    const etag = media.add('uploads/x/bomb.png', pixelBombPng());

    const result = await createThumbnail(deps, { key: 'uploads/x/bomb.png', etag });

    expect(result).toMatchObject({ outcome: 'rejected', reason: 'too-large' });
  });

  it('rejects uploads over the byte limit without reading them', async () => {
    const { media, deps } = setup();
    media.add('uploads/x/huge.jpg', Buffer.alloc(2_000_000));

    expect(
      await createThumbnail(deps, { key: 'uploads/x/huge.jpg', etag: 'e', size: 2_000_000 }),
    ).toMatchObject({ outcome: 'rejected', reason: 'too-large' });
    expect(await createThumbnail(deps, { key: 'uploads/x/huge.jpg', etag: 'e' })).toMatchObject({
      outcome: 'rejected',
      reason: 'too-large',
    });
    expect(media.ops()).toEqual(['head', 'get']);
  });

  it('ignores folder keys, keys outside the prefix and uploads deleted since', async () => {
    const { media, deps } = setup();

    expect(await createThumbnail(deps, { key: 'uploads/folder/', etag: 'e' })).toMatchObject({
      outcome: 'ignored',
    });
    expect(await createThumbnail(deps, { key: 'elsewhere/a.jpg', etag: 'e' })).toMatchObject({
      outcome: 'ignored',
    });
    expect(await createThumbnail(deps, { key: 'uploads/gone.jpg', etag: 'e' })).toEqual({
      outcome: 'ignored',
      detail: 'the upload no longer exists',
    });
    expect(media.ops()).toEqual(['head', 'get']);
  });

  it('lets store and bus errors through, for the message to be retried', async () => {
    const { media, events, deps } = setup();
    const etag = media.add('uploads/a.jpg', photo);
    media.failWith = Object.assign(new Error('Service Unavailable'), { name: 'SlowDown' });

    await expect(createThumbnail(deps, { key: 'uploads/a.jpg', etag })).rejects.toThrow(
      'Service Unavailable',
    );

    media.failWith = undefined;
    events.failWith = new Error('SNS throttled');
    await expect(createThumbnail(deps, { key: 'uploads/a.jpg', etag })).rejects.toThrow(
      'SNS throttled',
    );
    // The retry finds the thumbnail and only announces it.
    events.failWith = undefined;
    expect(await createThumbnail(deps, { key: 'uploads/a.jpg', etag })).toMatchObject({
      outcome: 'already-done',
    });
    expect(events.published).toHaveLength(1);
  });
});
