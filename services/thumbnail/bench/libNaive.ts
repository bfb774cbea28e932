/** The naive path: the full jimp; read (full-size decode, EXIF rotation), resize, encode. */
import { Jimp } from 'jimp';

export const thumbnail = async (bytes: Buffer): Promise<Buffer> => {
  const image = await Jimp.read(bytes);
  if (image.width > 128 || image.height > 128) image.scaleToFit({ w: 128, h: 128 });
  const mime = (image.mime ?? 'image/png') as 'image/jpeg' | 'image/png' | 'image/gif';
  return mime === 'image/jpeg'
    ? image.getBuffer('image/jpeg', { quality: 80 })
    : image.getBuffer(mime);
};
