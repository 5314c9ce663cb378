import type * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../../errors/graft-error';
import { byCodePoint, type Entry, FolderWalk } from './folder-walk';
import { DEFAULT_IMAGE_EXTENSIONS } from './image-extensions';
import { checkImageSize } from './image-size';
import { imagesToTensor } from './images-to-tensor';
import { checkMaxPixels } from './max-pixels';
import { fsReason, loadNodeFs } from './node-fs';
import type { DecodeOptions, ImageSize } from './types';

export interface ReadImageFolderOptions extends DecodeOptions {
  /** [height, width] every image is resized to (bilinear). */
  size: ImageSize;
  /** File extensions read as images, case-insensitive; default ['.jpg', '.jpeg', '.png']. Other files are skipped. */
  extensions?: string[];
  /**
   * Pins the classes and their order (Keras `class_names`): labels index this list, a sub-folder not in it is
   * refused (UNKNOWN_CLASS), and a listed class without a folder simply has no images (a test set lacking one).
   */
  classNames?: string[];
}

export interface ImageFolder {
  /** float32 [N, height, width, 3], values 0..255. */
  x: tf.Tensor4D;
  /** Class index of each image: its sub-folder's position in `classNames`. */
  labels: number[];
  /** Sub-folder names, sorted by code point (as Python's sorted(), so labels match Keras). */
  classNames: string[];
  /** Full path of each image, in the order of `x` and `labels`. */
  files: string[];
}

function checkExtensions(ext: unknown): string[] {
  if (ext === undefined) return DEFAULT_IMAGE_EXTENSIONS;
  if (
    !Array.isArray(ext) ||
    ext.length === 0 ||
    !ext.every((e) => typeof e === 'string' && e.replace(/^\./, '') !== '')
  ) {
    throw new GraftError(
      'INVALID_OPTION',
      `options.extensions must be a non-empty array of file extensions like ['.jpg', '.png'], got ${describe(ext)}`,
      { option: 'extensions' },
    );
  }
  return ext.map((e: string) => (e.startsWith('.') ? e : `.${e}`).toLowerCase());
}

/** The class order: the given names (every folder must be among them), else the folders sorted. */
function pinClasses(folders: string[], given: string[] | undefined, dir: string): string[] {
  if (given === undefined) return folders;
  if (
    !Array.isArray(given) ||
    given.length === 0 ||
    given.some((n) => typeof n !== 'string') ||
    new Set(given).size !== given.length
  ) {
    throw new GraftError('INVALID_OPTION', `expected classNames as distinct folder names, got ${describe(given)}`, {
      option: 'classNames',
    });
  }
  const stray = folders.filter((f) => !given.includes(f));
  if (stray.length > 0) {
    throw new GraftError(
      'UNKNOWN_CLASS',
      `expected the sub-folders of ${JSON.stringify(dir)} among classNames [${given.join(', ')}], got ${stray.map((f) => JSON.stringify(f)).join(', ')}`,
      { path: dir, classNames: given, label: stray[0] },
    );
  }
  return [...given];
}

/**
 * Reads a folder laid out like Keras' image_dataset_from_directory: one sub-folder per class,
 * e.g. flowers/daisy/*.jpg, flowers/roses/*.jpg. Labels are class indices in sorted folder order;
 * files are sorted within each class; hidden entries and files with other extensions (LICENSE.txt)
 * are skipped. Node only.
 */
export async function readImageFolder(dir: string, options: ReadImageFolderOptions): Promise<ImageFolder> {
  const listing = await listImageFolder(dir, options);
  const x = await imagesToTensor(listing.files, { size: listing.size, maxPixels: listing.maxPixels });
  return { x, labels: listing.labels, classNames: listing.classNames, files: listing.files };
}

/** What a folder holds, without reading an image: the files, their labels and classes, the checked options. */
export interface ImageFolderListing extends Omit<ImageFolder, 'x'> {
  size: ImageSize;
  maxPixels: number;
}

/** Lists an image folder as `readImageFolder` reads it (same classes, order and refusals), decoding nothing. */
export async function listImageFolder(dir: string, options: ReadImageFolderOptions): Promise<ImageFolderListing> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new GraftError('INVALID_DATA', `expected a folder path string, got ${describe(dir)}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new GraftError('INVALID_OPTION', `expected options { size: [height, width] }, got ${describe(options)}`);
  }
  const maxPixels = checkMaxPixels(options.maxPixels, 'options.maxPixels');
  const size = checkImageSize(options.size, 'options.size', maxPixels);
  const extensions = checkExtensions(options.extensions);
  const { fs, path } = await loadNodeFs();

  let entries: Entry[];
  let walk: FolderWalk;
  try {
    walk = await FolderWalk.start(fs, path, dir, extensions);
    entries = (await fs.readdir(dir, { withFileTypes: true })) as Entry[];
  } catch (e) {
    throw new GraftError('LOAD_FAILED', `could not read image folder ${JSON.stringify(dir)}: ${fsReason(e)}`, {
      path: dir,
    });
  }
  const folders: string[] = [];
  for (const e of entries) {
    if (!e.name.startsWith('.') && (await walk.enterDir(path.join(dir, e.name), e))) folders.push(e.name);
  }
  folders.sort(byCodePoint);
  if (folders.length === 0) {
    throw new GraftError(
      'EMPTY_DATA',
      `expected one sub-folder per class in ${JSON.stringify(dir)} (e.g. ${dir}/cats/*.jpg), found no sub-folders (${entries.length} other entries)`,
      { path: dir },
    );
  }
  const classNames = pinClasses(folders, options.classNames, dir);

  const files: string[] = [];
  const labels: number[] = [];
  for (let c = 0; c < classNames.length; c++) {
    if (!folders.includes(classNames[c])) continue;
    const classDir = path.join(dir, classNames[c]);
    let rels: string[];
    try {
      rels = await walk.listImages(classDir);
    } catch (e) {
      if (e instanceof GraftError) throw e;
      throw new GraftError('LOAD_FAILED', `could not list class folder ${JSON.stringify(classDir)}: ${fsReason(e)}`, {
        path: classDir,
      });
    }
    for (const rel of rels) {
      files.push(path.join(classDir, rel));
      labels.push(c);
    }
  }
  if (files.length === 0) {
    throw new GraftError(
      'EMPTY_DATA',
      `expected image files (${extensions.join(', ')}) in the class folders of ${JSON.stringify(dir)} (${classNames.join(', ')}), found none`,
      { path: dir, classNames },
    );
  }
  return { labels, classNames, files, size, maxPixels };
}
