import { describe, GraftError } from '@graftjs/core';
import { initializers } from '@tensorflow/tfjs-layers';
import type { LoadOptions } from '../loading/types';

/** Options every builder takes (Keras' names where Keras has one). */
export interface BuilderOptions extends LoadOptions {
  /** Keep the ImageNet classifier on top. Default false: a backbone ends at its feature layer. */
  includeTop?: boolean;
  /** [height, width, 3]. Default [224, 224, 3]. */
  inputShape?: [number, number, number];
  /** Classifier width when includeTop is true. Default 1000. */
  classes?: number;
  /** 'imagenet' loads the published weights (verified); null or absent: random init. `from` implies 'imagenet'. */
  weights?: 'imagenet' | null;
  /** Seed for the random initialisers (each layer gets seed + its index), for reproducible random weights. */
  seed?: number;
}

export interface AlphaOptions extends BuilderOptions {
  /** Width multiplier. Default 1.0. */
  alpha?: number;
}

export interface ResolvedOptions {
  includeTop: boolean;
  inputShape: [number, number, number];
  classes: number;
  loadWeights: boolean;
}

const KNOWN_OPTIONS = new Set([
  'alpha',
  'includeTop',
  'inputShape',
  'classes',
  'weights',
  'seed',
  'from',
  'maxBytes',
  'cache',
  'cacheDir',
]);

const isPositiveInt = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x > 0;

/** Checks and fills the shared options; `minSize` is the smallest height/width the architecture accepts. */
export function resolveOptions(arch: string, options: BuilderOptions, minSize: number): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new GraftError('INVALID_OPTION', `expected ${arch} options to be an object; got ${describe(options)}`);
  }
  // A misspelt option (e.g. "aplha") would otherwise silently build the default network.
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined && (!KNOWN_OPTIONS.has(key) || (key === 'alpha' && !arch.startsWith('mobilenet')))) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected ${arch} options among ${[...KNOWN_OPTIONS].join(', ')}; got ${key}`,
      );
    }
  }
  const inputShape = options.inputShape ?? [224, 224, 3];
  if (
    !Array.isArray(inputShape) ||
    inputShape.length !== 3 ||
    !inputShape.every(isPositiveInt) ||
    inputShape[2] !== 3
  ) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected ${arch} inputShape [height, width, 3]; got ${describe(inputShape)}`,
    );
  }
  if (inputShape[0] < minSize || inputShape[1] < minSize) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected ${arch} inputShape of at least ${minSize}x${minSize}; got ${inputShape[0]}x${inputShape[1]}`,
    );
  }
  const classes = options.classes ?? 1000;
  if (!isPositiveInt(classes)) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected ${arch} classes to be a positive integer; got ${describe(classes)}`,
    );
  }
  if (options.weights !== undefined && options.weights !== null && options.weights !== 'imagenet') {
    throw new GraftError(
      'INVALID_OPTION',
      `expected ${arch} weights 'imagenet' or null; got ${describe(options.weights)}`,
    );
  }
  if (options.weights === null && options.from !== undefined) {
    throw new GraftError('INVALID_OPTION', `expected ${arch} weights 'imagenet' with from:; got weights null`);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new GraftError('INVALID_OPTION', `expected ${arch} seed to be an integer; got ${describe(options.seed)}`);
  }
  const loadWeights = options.weights === 'imagenet' || options.from !== undefined;
  const includeTop = options.includeTop ?? false;
  if (loadWeights && includeTop && classes !== 1000) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected classes 1000 with includeTop and ImageNet weights (or includeTop false); got ${classes}`,
    );
  }
  return { includeTop, inputShape: [...inputShape] as [number, number, number], classes, loadWeights };
}

/** Keras' default kernel initialiser (glorot uniform), seeded per layer when a seed is given. */
export function kernelInit(seed: number | undefined) {
  let layer = 0;
  return () => (seed === undefined ? 'glorotUniform' : initializers.glorotUniform({ seed: seed + layer++ }));
}

/** Keras formats alpha as '%.2f' in model and weight names ("mobilenet_0.25_224"). */
export function alphaName(alpha: number): string {
  return alpha.toFixed(2);
}

export function resolveAlpha(arch: string, alpha: unknown): number {
  const a = alpha ?? 1;
  if (typeof a !== 'number' || !Number.isFinite(a) || a <= 0) {
    throw new GraftError('INVALID_OPTION', `expected ${arch} alpha to be a positive number; got ${describe(alpha)}`);
  }
  return a;
}
