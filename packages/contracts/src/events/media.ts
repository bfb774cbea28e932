import { defineEvent } from '../defineEvent';
import * as z from '../zod';

export const ThumbnailCreated = defineEvent({
  type: 'ThumbnailCreated',
  version: 1,
  source: 'thumbnail',
  description: 'An uploaded image got a thumbnail of at most 128×128 px under thumbnails/.',
  data: z.strictObject({
    bucket: z.string().check(z.minLength(1)),
    sourceKey: z.string().check(z.minLength(1)),
    thumbnailKey: z.string().check(z.startsWith('thumbnails/')),
    width: z.number().check(z.int(), z.positive(), z.lte(128)),
    height: z.number().check(z.int(), z.positive(), z.lte(128)),
    contentType: z.enum([
      'image/jpeg',
      'image/png',
      'image/gif',
      'image/tiff',
      'image/bmp',
      'image/webp',
      'image/avif',
    ]),
  }),
  example: {
    bucket: 'shop-media-dev',
    sourceKey: 'uploads/products/espresso.jpg',
    thumbnailKey: 'thumbnails/products/espresso_thumb.jpg',
    width: 128,
    height: 96,
    contentType: 'image/jpeg',
  },
});
