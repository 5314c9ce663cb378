import * as tf from '@tensorflow/tfjs-core';
import type { Augmentation } from '../builder/augment/pipeline';
import { Dataset, originOf } from '../data/dataset';
import type { ImageIterable } from '../data/images/image-iterable';
import type { ImageStream } from '../data/images/image-stream';
import { preprocess } from '../data/images/preprocess';
import type { ExportSource } from '../io/exporters';
import type { FeatureStage, StageInputs, StreamRequest, TrainingRequest } from '../model/feature-stage';
import { dropoutLayers } from '../training/random-layers';
import type { Backbone, Preprocessing } from './backbone';
import { FeatureCache } from './feature-cache';
import { objectId } from './object-id';
import type { ResumablePass } from './resumable-pass';
import type { FeatureShards } from './shards/feature-shards';
import type { StemParts, TransferNetworks } from './stem-parts';

export type { TransferNetworks } from './stem-parts';

/**
 * A pretrained base before the head. While the base is frozen the head trains on its features, computed once per
 * input and cached; the stage owns that cache and the one rule for it: an entry is served only while the base is
 * frozen and the fingerprint it was computed under (which stem, the storage of every base weight, the
 * preprocessing) is still current. Freezing, unfreezing, training the base, setting its weights by hand (or
 * through another model sharing it) and new preprocessing all change that, so stale features are never served.
 */
const stemWork = () => import('./stem-work');

// The members StemParts names are for stem-stage-work.ts (the computations, loaded with the first fit), not apps.
export class FrozenStemStage implements FeatureStage, StemParts {
  readonly cache = new FeatureCache();
  /** Feature rows made from a stream for one fit: already what the head trains on. */
  private readonly streamed = new WeakSet<tf.Tensor>();
  pass: ResumablePass | null = null;

  constructor(
    readonly backbone: Backbone,
    readonly nets: TransferNetworks,
    private pre: Preprocessing | undefined,
  ) {}

  private aug: Augmentation | null = null;

  get augmentation(): Augmentation | null {
    return this.aug;
  }

  /** Augmentation for training inputs (null: none); features made under another are freed. */
  useAugmentation(a: Augmentation | null): void {
    this.aug = a;
    this.refresh();
  }

  get preprocessing(): Preprocessing | undefined {
    return this.pre;
  }

  /** New pixel preprocessing; features made under the old one are freed. */
  usePreprocessing(p: Preprocessing | undefined): void {
    this.pre = p;
    this.refresh();
  }

  /** Whether the head trains on base features: the base has nothing to train and no random layers. */
  get frozen(): boolean {
    if (this.backbone.kind === 'extractor') return true;
    const stem = this.nets.stem();
    return stem.trainableWeights.length === 0 && dropoutLayers(stem).length === 0;
  }

  /** Builds the network first: a model without a head says so before any data is looked at. */
  sampleShape(): (number | null)[] {
    const net = this.nets.net();
    if (this.pre) return [null, null, 3];
    if (this.backbone.kind === 'extractor' && this.backbone.input === 'text') return [null];
    return this.backbone.kind === 'extractor' ? this.backbone.inputShape : net.inputs[0].shape.slice(1);
  }

  async training(x: tf.Tensor, request: TrainingRequest): Promise<StageInputs> {
    if (this.isFeatures(x)) return { net: this.nets.head(), x, owned: false, featureCache: true };
    return (await stemWork()).stemTraining(this, x, request);
  }

  /**
   * A Dataset of base features of every streamed image, in one pass (resumed where an aborted one stopped);
   * refused when the base is not frozen.
   */
  async streamDataset(stream: ImageStream, request: StreamRequest): Promise<Dataset> {
    return (await stemWork()).stemStream(this, stream, request);
  }

  /** As `streamDataset`, for an iterable: its labels come with the pass (no progress events: no size up front). */
  async iterableDataset(source: ImageIterable, request: StreamRequest): Promise<Dataset> {
    return (await stemWork()).stemIterable(this, source, request);
  }

  /** Feature shards as a Dataset the head trains on: refused unless the base is frozen and their fingerprint matches. */
  async shardDataset(shards: FeatureShards): Promise<Dataset> {
    return (await stemWork()).stemShards(this, shards);
  }

  /** True for feature rows this stage made from a stream (or rows taken from them by a split). */
  isFeatures(x: tf.Tensor): boolean {
    const origin = originOf(x);
    return this.streamed.has(x) || (origin !== undefined && this.streamed.has(origin.source));
  }

  /** Features computed elsewhere (feature shards, a resumable pass) as a Dataset the head trains on. */
  featureDataset(
    values: Float32Array,
    shape: number[],
    labels: readonly number[],
    classNames: readonly string[],
  ): Dataset {
    return this.tensorDataset(tf.tensor(values, shape, 'float32'), [...labels], classNames);
  }

  /** A Dataset of features (taking `features`) this stage knows as features, not pixels. */
  tensorDataset(features: tf.Tensor, labels: number[], classNames: readonly string[]): Dataset {
    try {
      const data = Dataset.from(features, labels, { classNames: [...classNames] });
      this.streamed.add(data.x);
      return data;
    } finally {
      features.dispose();
    }
  }

  /** The base's content fingerprint, the same in every process (base-fingerprint.ts); feature shards carry it. */
  async contentFingerprint(): Promise<string> {
    const { baseFingerprint } = await stemWork();
    return baseFingerprint(this.backbone, () => this.nets.stem(), this.pre);
  }

  /** Rows an aborted streamed feature pass kept for the next fit of the same stream (0: none). */
  get pendingFeatureRows(): number {
    return this.pass?.pendingRows ?? 0;
  }

  async inference(x: tf.Tensor): Promise<tf.Tensor> {
    return this.backbone.kind === 'extractor' ? this.features(x, {}) : this.runtime(x);
  }

  runtime(x: tf.Tensor): tf.Tensor {
    return this.pre ? preprocess(x as tf.Tensor4D, this.pre) : x;
  }

  exportSource(): Omit<ExportSource, 'classNames'> {
    const extractor = this.backbone.kind === 'extractor' ? this.backbone : undefined;
    return { net: this.nets.net(), extractor, preprocessing: this.pre };
  }

  /** A fit may have trained the base or dropped its inputs: free what is stale now. */
  afterFit(): void {
    this.refresh();
  }

  /** Applies the staleness rule now, freeing stale features at once instead of at the next fit. */
  refresh(): void {
    this.cache.prune(this.frozen ? this.fingerprint() : null);
  }

  /** Drops every cached feature (the rule already covers weight changes; this frees the memory). */
  clear(): void {
    this.cache.clear();
  }

  get cachedEntries(): number {
    return this.cache.size;
  }

  dispose(): void {
    this.cache.clear();
    void this.pass?.dispose();
  }

  /**
   * Names what the features depend on. tfjs gives a weight new storage whenever it is written (training,
   * setWeights, assign, another model training a shared base), so the storage ids change with the weights.
   */
  fingerprint(): string {
    const pre = `${JSON.stringify(this.pre ?? null)}|${this.aug?.key ?? ''}`;
    if (this.backbone.kind !== 'layers') return `extractor|${pre}`;
    const stem = this.nets.stem();
    const storage = stem.weights.map((w) => objectId((w.read() as unknown as { dataId: object }).dataId));
    return `${objectId(stem)}|${storage.join(',')}|${pre}`;
  }

  /** Base features of raw inputs, batch by batch on the active backend. */
  async features(x: tf.Tensor, request: Pick<TrainingRequest, 'featurePass'>): Promise<tf.Tensor> {
    const { computeFeatures, FEATURE_BATCH } = await stemWork();
    const report = request.featurePass?.(x.shape[0], Math.ceil(x.shape[0] / FEATURE_BATCH));
    return computeFeatures(x, (rows) => this.extract(rows), report);
  }

  /** Features of one batch of raw rows (the base frozen or not: this is inference). */
  async extract(rows: tf.Tensor): Promise<tf.Tensor> {
    const { extractRows } = await stemWork();
    return extractRows(this.backbone, () => this.nets.stem(), this.pre, rows);
  }
}
