/**
 * The anchor: sharp (libvips), the usual native choice — shrink-on-load for JPEG, EXIF rotation,
 * resize into 128×128, the source's format kept. One libvips thread, as our path has one core.
 * Benchmark only: never bundled into a Lambda (a native module; esbuild leaves it external).
 */
import sharp from 'sharp';

sharp.concurrency(1);
sharp.cache(false);

export const thumbnail = async (bytes: Buffer): Promise<Buffer> => {
  const image = sharp(bytes, { limitInputPixels: 40_000_000 });
  const { format } = await image.metadata();
  const resized = image.rotate().resize(128, 128, { fit: 'inside', withoutEnlargement: true });
  // sharp calls an AVIF `heif` (its container), and toFormat('heif') wants the codec said.
  const encoded =
    format === 'jpeg'
      ? resized.jpeg({ quality: 80 })
      : format === 'heif'
        ? resized.avif()
        : resized.toFormat(format ?? 'png');
  return encoded.toBuffer();
};
