import { z } from 'zod';
import { defineEvent } from '../defineEvent';

export const ThumbnailCreated = defineEvent({
  type: 'ThumbnailCreated',
  version: 1,
  source: 'thumbnail',
  description: 'An uploaded image got a thumbnail of at most 128×128 px under thumbnails/.',
  data: z
    .object({
      bucket: z.string().min(1),
      sourceKey: z.string().min(1),
      thumbnailKey: z.string().startsWith('thumbnails/'),
      width: z.number().int().positive().max(128),
      height: z.number().int().positive().max(128),
      contentType: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/tiff', 'image/bmp']),
    })
    .strict(),
  example: {
    bucket: 'shop-media-dev',
    sourceKey: 'uploads/products/espresso.jpg',
    thumbnailKey: 'thumbnails/products/espresso_thumb.jpg',
    width: 128,
    height: 96,
    contentType: 'image/jpeg',
  },
});
