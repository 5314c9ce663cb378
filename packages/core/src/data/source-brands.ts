/**
 * The instances of a class made so far, so that a caller tells one apart (what `instanceof` says) without importing
 * the class: its module loads with the functions that make it, which an app that never calls them does not download.
 * This module imports none of the classes (not even their types), so it stays a leaf of the import graph.
 */
export interface Brand {
  /** Called by the class's constructor. */
  mark(x: object): void;
  is(x: unknown): boolean;
}

function brand(): Brand {
  const made = new WeakSet<object>();
  return {
    mark: (x) => {
      made.add(x);
    },
    is: (x) => typeof x === 'object' && x !== null && made.has(x),
  };
}

/** ImageStream, ImageIterable and FeatureShards instances: the sources fit and predict take besides tensors. */
export const imageStreams = brand();
export const imageIterables = brand();
export const featureShardSets = brand();
