// `@graftjs/core/decode`: the synchronous pure-JS JPEG and PNG decoder (jpeg-js, fast-png), an entry of its own so
// that apps importing `@graftjs/core` do not download it up front. graft's own image readers load it when they
// first decode a file; browsers decode with createImageBitmap and never need it.
export { decodeImage } from './data/images/decode-image';
export type { DecodedImage, DecodeOptions } from './data/images/types';
