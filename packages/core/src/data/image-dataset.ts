import { describe, GraftError } from '../errors/graft-error';
import { Dataset } from './dataset';
import { checkImageSize } from './images/image-size';
import { ImageStream } from './images/image-stream';
import { imagesToTensor } from './images/images-to-tensor';
import { checkMaxPixels } from './images/max-pixels';
import { checkWorkers, fileSource } from './images/pixel-source';
import { listImageFolder, readImageFolder } from './images/read-image-folder';
import { streamLabels } from './images/stream-labels';
import type { DecodeOptions, ImageSize, ImageSource } from './images/types';
import type { LabelInput } from './labels';

export interface ImageDatasetOptions extends DecodeOptions {
  /** [height, width] images are resized to when read (default [224, 224]); the model resizes again if it needs to. */
  size?: ImageSize;
  /**
   * `fromDirectory`: pins the classes and their order (Keras `class_names`); a sub-folder not listed is refused
   * (UNKNOWN_CLASS). `fromImages`: the names integer labels index.
   */
  classNames?: string[];
  extensions?: string[];
  /**
   * Read lazily (default false): resolve to an `ImageStream` that lists the files now and decodes them batch by
   * batch when a fit, predict or evaluate reads them, so memory holds one batch of pixels, not the whole folder.
   * Not a Keras option: Keras' `image_dataset_from_directory` always streams. See docs/scale.md.
   */
  stream?: boolean;
  /**
   * With `stream: true`, in Node: worker threads that read and decode the files (default: cores - 1, at least 1);
   * 0 decodes on the calling thread. Batches are the same either way. Not a Keras option.
   */
  workers?: number;
}

/**
 * One sub-folder per class, like Keras' `image_dataset_from_directory`: class names sorted, labels their
 * indices. Pixels are kept as 0..255; a transfer model applies its backbone's preprocessing. Symlinks are followed
 * while they stay inside `dir` (Keras' `follow_links` defaults to not following them); one leading outside, or back
 * to a folder already read (a cycle), is refused with INVALID_DATA. Images above `maxPixels` are refused unread.
 */
export async function fromDirectory(dir: string, options: ImageDatasetOptions & { stream: true }): Promise<ImageStream>;
export async function fromDirectory(dir: string, options?: ImageDatasetOptions & { stream?: false }): Promise<Dataset>;
export async function fromDirectory(dir: string, options?: ImageDatasetOptions): Promise<Dataset | ImageStream>;
export async function fromDirectory(dir: string, options: ImageDatasetOptions = {}): Promise<Dataset | ImageStream> {
  if (options.stream) {
    const workers = checkWorkers(options.workers);
    const list = await listImageFolder(dir, { ...options, size: options.size ?? [224, 224] });
    const source = fileSource(list.maxPixels, workers);
    return ImageStream.of(list.files, list.labels, list.classNames, list.size, list.maxPixels, source);
  }
  const folder = await readImageFolder(dir, {
    size: options.size ?? [224, 224],
    extensions: options.extensions,
    maxPixels: options.maxPixels,
    classNames: options.classNames,
  });
  try {
    return Dataset.from(folder.x, folder.labels, { classNames: folder.classNames });
  } finally {
    folder.x.dispose();
  }
}

/**
 * A Dataset from images (bytes, paths, decoded pixels, browser elements, tensors) and their labels. With
 * `stream: true` the images must be file paths: an `ImageStream` that decodes them batch by batch.
 */
export async function fromImages(
  images: string[],
  labels: LabelInput,
  options: ImageDatasetOptions & { stream: true },
): Promise<ImageStream>;
export async function fromImages(
  images: ImageSource[],
  labels: LabelInput,
  options?: ImageDatasetOptions & { stream?: false },
): Promise<Dataset>;
export async function fromImages(
  images: ImageSource[],
  labels: LabelInput,
  options: ImageDatasetOptions = {},
): Promise<Dataset | ImageStream> {
  if (!Array.isArray(images))
    throw new GraftError('INVALID_DATA', `expected an array of images, got ${describe(images)}`);
  if (options.stream) return streamFiles(images, labels, options);
  const x = await imagesToTensor(images, { size: options.size ?? [224, 224], maxPixels: options.maxPixels });
  try {
    return Dataset.from(x, labels, { classNames: options.classNames });
  } finally {
    x.dispose();
  }
}

function streamFiles(images: ImageSource[], labels: LabelInput, options: ImageDatasetOptions): ImageStream {
  const i = images.findIndex((f) => typeof f !== 'string' || f.length === 0);
  if (i >= 0) {
    throw new GraftError(
      'INVALID_DATA',
      `expected file paths to stream (stream: true), got ${describe(images[i])} at images[${i}]`,
    );
  }
  const maxPixels = checkMaxPixels(options.maxPixels, 'options.maxPixels');
  const size = checkImageSize(options.size ?? [224, 224], 'options.size', maxPixels);
  const workers = checkWorkers(options.workers);
  const files = images as string[];
  const checked = streamLabels(files, labels, options.classNames);
  return ImageStream.of(files, checked.labels, checked.classNames, size, maxPixels, fileSource(maxPixels, workers));
}
