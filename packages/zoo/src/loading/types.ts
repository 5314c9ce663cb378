import type { Preprocessing } from '@graftjs/core';

/** One published file of a weight set, pinned by size and SHA-256 (lower-case hex). */
export interface PublishedFile {
  name: string;
  bytes: number;
  sha256: string;
  /** Where the file is published when not at `location + name` (a repository that keeps it elsewhere). */
  url?: string;
}

/** Which of our builders reproduces a published layers topology, so weights load into it by name. */
export interface ArchitectureRef {
  builder: 'mobilenetV1' | 'mobilenetV2' | 'resnet50' | 'vgg16';
  alpha?: number;
}

/** One published weight set. */
export interface CatalogueEntry {
  name: string;
  format: 'layers' | 'graph';
  /** Base URL of the published files (ends with '/'). */
  location: string;
  /** Where the network comes from originally, for people (not fetched). */
  upstream?: string;
  /** [height, width, channels] of one input sample. */
  inputShape: [number, number, number];
  preprocessing: Preprocessing;
  /** Layers: layer whose output is the feature map. Graph: node whose output is the embedding. */
  feature: string;
  /** Graph only: the input node and the shape of one sample's features. */
  inputNode?: string;
  featureShape?: number[];
  /** Present where one of our builders rebuilds the topology. */
  architecture?: ArchitectureRef;
  /** Labels of the published classifier output, where it has one (for people; not used for loading). */
  classes?: number;
  licence: string;
  /** model.json first, then every weight shard. */
  files: PublishedFile[];
}

/** Browser `File`-like input: anything with a name and arrayBuffer(). */
export interface NamedBlob {
  name: string;
  size?: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Where to read a weight set instead of its published location: an http(s) URL (base folder or its model.json),
 * a local directory path (Node), browser Files, a map of file name to bytes, or a record of file name to absolute
 * http(s) URL (assets a bundler emitted under hashed names).
 */
export type WeightSource =
  | string
  | URL
  | ArrayLike<NamedBlob>
  | Map<string, Uint8Array | ArrayBuffer>
  | Record<string, Uint8Array | ArrayBuffer>
  | Record<string, string | URL>;

/** Options shared by every loader. */
export interface LoadOptions {
  /** Read the files from here instead of the catalogue location. */
  from?: WeightSource;
  /** Upper bound on the total bytes read for one weight set. Default 300 MB. */
  maxBytes?: number;
  /** Cache downloads (http/https only). Default true. */
  cache?: boolean;
  /** Node cache folder for this call. Default `env.cache`, else `env.cacheDir`, $GRAFT_CACHE_DIR, ~/.cache/graft. */
  cacheDir?: string;
}

export const DEFAULT_MAX_BYTES = 300 * 1024 * 1024;
