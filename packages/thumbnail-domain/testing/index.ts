export {
  encodeGif,
  encodePng,
  photoLike,
  pixelBombPng,
  testCard,
  webpHeader,
} from './images';
export {
  encodeJpeg,
  exifApp1,
  type JpegEncodeOptions,
  type RgbaImage,
  withExifOrientation,
} from './jpegEncoder';
