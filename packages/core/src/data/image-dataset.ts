import { describe, GraftError } from '../errors/graft-error';
import { checkMaxBytes } from '../io/read-bounds';
import { Dataset } from './dataset';
import { type BytesSourceBounds, bytesSource } from './images/bytes-source';
import { type ImageItems, ImageIterable } from './images/image-iterable';
import { checkImageSize } from './images/image-size';
import { ImageStream } from './images/image-stream';
import { imagesToTensor } from './images/images-to-tensor';
import { checkMaxPixels } from './images/max-pixels';
import { checkWorkers, fileSource } from './images/pixel-source';
import { listImageFolder, readImageFolder } from './images/read-image-folder';
import { allFilePaths, itemNames, type StreamItem } from './images/stream-items';
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
  /**
   * With `stream: true`, for URLs and Blobs/Files: most encoded bytes one image may have (default 256 MiB); a
   * larger one is refused (FILE_TOO_LARGE), a download cancelled as soon as it passes. Not a Keras option.
   */
  maxBytes?: number;
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
 * `stream: true` the images must be file paths (Node), URLs (`URL`s, http(s) strings; in a browser every string
 * is a URL) or Blobs/Files: an `ImageStream` that reads and decodes them batch by batch. An iterable or async
 * iterable of `{ image, label }` (or a function returning one) with `{ classNames }` gives an `ImageIterable`,
 * read pass by pass (see docs/scale.md).
 */
export async function fromImages(
  items: ImageItems,
  options: ImageDatasetOptions & { classNames: string[] },
): Promise<ImageIterable>;
export async function fromImages(
  images: StreamItem[],
  labels: LabelInput,
  options: ImageDatasetOptions & { stream: true },
): Promise<ImageStream>;
export async function fromImages(
  images: ImageSource[],
  labels: LabelInput,
  options?: ImageDatasetOptions & { stream?: false },
): Promise<Dataset>;
export async function fromImages(
  images: (ImageSource | StreamItem)[] | ImageItems,
  labels?: LabelInput | ImageDatasetOptions,
  options: ImageDatasetOptions = {},
): Promise<Dataset | ImageStream | ImageIterable> {
  if (isItemSource(images)) return streamIterable(images, labels as ImageDatasetOptions | undefined);
  if (!Array.isArray(images))
    throw new GraftError('INVALID_DATA', `expected an array of images, got ${describe(images)}`);
  labels = labels as LabelInput;
  if (options.stream) return streamFiles(images, labels, options);
  const x = await imagesToTensor(images as ImageSource[], {
    size: options.size ?? [224, 224],
    maxPixels: options.maxPixels,
  });
  try {
    return Dataset.from(x, labels, { classNames: options.classNames });
  } finally {
    x.dispose();
  }
}

function streamFiles(images: unknown[], labels: LabelInput, options: ImageDatasetOptions): ImageStream {
  const names = itemNames(images);
  const { size, ...bounds } = streamBounds(options);
  const checked = streamLabels(names, labels, options.classNames);
  const source = allFilePaths(images)
    ? fileSource(bounds.maxPixels, bounds.workers)
    : bytesSource(names, images as StreamItem[], bounds);
  return ImageStream.of(names, checked.labels, checked.classNames, size, bounds.maxPixels, source);
}

/** True for a function or a non-array (async) iterable: the items of an `ImageIterable`. */
function isItemSource(x: unknown): x is ImageItems {
  if (typeof x === 'function') return true;
  if (typeof x !== 'object' || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  return Symbol.asyncIterator in x || Symbol.iterator in x;
}

function streamIterable(items: ImageItems, options: ImageDatasetOptions = {}): ImageIterable {
  if (!Array.isArray(options.classNames) || options.classNames.length === 0) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected classNames for an iterable of { image, label } (nothing is listed up front to find the classes), got ${describe(options.classNames)}`,
      { option: 'classNames' },
    );
  }
  const { size, ...bounds } = streamBounds(options);
  return ImageIterable.of(items, options.classNames, size, bounds);
}

/** Default bound on one streamed image's encoded bytes: 256 MiB. */
const MAX_IMAGE_BYTES = 256 * 2 ** 20;

/** The checked size and bounds of a streamed source. */
function streamBounds(options: ImageDatasetOptions): BytesSourceBounds & { size: ImageSize } {
  const maxPixels = checkMaxPixels(options.maxPixels, 'options.maxPixels');
  const maxBytes =
    options.maxBytes === undefined ? MAX_IMAGE_BYTES : checkMaxBytes(options.maxBytes, 'options.maxBytes');
  const size = checkImageSize(options.size ?? [224, 224], 'options.size', maxPixels);
  return { size, maxPixels, maxBytes, workers: checkWorkers(options.workers) };
}
