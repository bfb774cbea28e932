import { correlationIdForObject, decodeEventKey, thumbnailKeyFor, uploadKeyFor } from '../../src';

const prefixes = { uploadPrefix: 'uploads/', thumbnailPrefix: 'thumbnails/' };
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

describe('thumbnailKeyFor', () => {
  it.each([
    ['uploads/espresso.jpg', 'thumbnails/espresso_thumb.jpg'],
    ['uploads/7f3a/products/espresso.JPG', 'thumbnails/7f3a/products/espresso_thumb.JPG'],
    ['uploads/a b/my photo.png', 'thumbnails/a b/my photo_thumb.png'],
    ['uploads/x/1+1=2.gif', 'thumbnails/x/1+1=2_thumb.gif'],
    ['uploads/ü/café crème.jpeg', 'thumbnails/ü/café crème_thumb.jpeg'],
    ['uploads/archive.tar.gz', 'thumbnails/archive.tar_thumb.gz'],
    ['uploads/README', 'thumbnails/README_thumb'],
    ['uploads/a/.hidden', 'thumbnails/a/.hidden_thumb'],
  ])('%s → %s', (source, thumbnail) => {
    expect(thumbnailKeyFor(source, prefixes)).toBe(thumbnail);
  });

  it('mirrors the sub-path, so the same file name in two uploads gives two thumbnails', () => {
    expect(thumbnailKeyFor('uploads/1/photo.jpg', prefixes)).not.toBe(
      thumbnailKeyFor('uploads/2/photo.jpg', prefixes),
    );
  });

  it('has no thumbnail for folder keys or keys outside the upload prefix', () => {
    expect(thumbnailKeyFor('uploads/', prefixes)).toBeUndefined();
    expect(thumbnailKeyFor('uploads/folder/', prefixes)).toBeUndefined();
    expect(thumbnailKeyFor('thumbnails/x_thumb.jpg', prefixes)).toBeUndefined();
    expect(thumbnailKeyFor('other/x.jpg', prefixes)).toBeUndefined();
  });
});

describe('decodeEventKey', () => {
  it('decodes S3 event keys: + is a space, %2B a plus, UTF-8 escapes', () => {
    expect(decodeEventKey('uploads/my+photo%2B1+%C3%A9t%C3%A9.jpg')).toBe(
      'uploads/my photo+1 été.jpg',
    );
    expect(decodeEventKey('uploads/a%2Fb/c.png')).toBe('uploads/a/b/c.png');
  });
});

describe('uploadKeyFor', () => {
  it('gives every upload its own folder', () => {
    expect(uploadKeyFor('0b7c', 'espresso beans.jpg', 'uploads/')).toBe(
      'uploads/0b7c/espresso beans.jpg',
    );
  });
});

describe('correlationIdForObject', () => {
  it('is a valid correlation id whatever the key holds, and stable per object version', () => {
    const key = `uploads/${'ünïcødé + spaces/'.repeat(20)}photo.jpg`;
    const id = correlationIdForObject('shop-media', key, 'etag-1');

    expect(id).toMatch(CORRELATION_ID);
    expect(id.startsWith('s3:')).toBe(true);
    expect(correlationIdForObject('shop-media', key, 'etag-1')).toBe(id);
    expect(correlationIdForObject('shop-media', key, 'etag-2')).not.toBe(id);
    expect(correlationIdForObject('shop-media', 'uploads/a/photo.jpg', 'e')).toMatch(
      /^s3:uploads_a_photo.jpg:[0-9a-f]{16}$/,
    );
  });
});
