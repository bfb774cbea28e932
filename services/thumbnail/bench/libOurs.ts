/** Our thumbnail path, as the Lambda bundles it: probe, DC decode of large JPEGs, slim jimp. */
import { makeThumbnail } from '@shop/thumbnail-domain';

export const thumbnail = async (bytes: Buffer): Promise<Buffer> =>
  (await makeThumbnail(bytes, { maxPixels: 40_000_000 })).body;
