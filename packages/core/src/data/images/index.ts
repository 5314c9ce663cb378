export { decodeImage } from './decode-image';
export { DEFAULT_IMAGE_EXTENSIONS } from './image-extensions';
export type { ImagesToTensorOptions } from './images-to-tensor';
export { imagesToTensor } from './images-to-tensor';
export { preprocess } from './preprocess';
export { readImageFile } from './read-image-file';
export type { ImageFolder, ReadImageFolderOptions } from './read-image-folder';
export { readImageFolder } from './read-image-folder';
export { toImageTensor } from './to-image-tensor';
export type {
  BrowserImageSource,
  DecodedImage,
  DecodeOptions,
  ImageSize,
  ImageSource,
  PixelBuffer,
  ToImageTensorOptions,
} from './types';
