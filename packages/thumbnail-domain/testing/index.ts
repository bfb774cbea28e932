export {
  avifHeader,
  bilevelTiff,
  encodeGif,
  encodePng,
  photoLike,
  pixelBombPng,
  rleBmpBomb,
  testCard,
  webpExtendedHeader,
  webpHeader,
} from './images';
export {
  encodeJpeg,
  exifApp1,
  type JpegEncodeOptions,
  type RgbaImage,
  withExifOrientation,
} from './jpegEncoder';
export { decodeRaster, encodeBmp, encodeTiff } from './rasterFormats';
export {
  decodeAvif,
  decodeWebp,
  encodeAvif,
  encodeWebp,
  withAvifTransform,
  withWebpExif,
} from './wasmFormats';
