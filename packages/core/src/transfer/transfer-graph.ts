import * as tfl from '@tensorflow/tfjs-layers';
import { GraftError } from '../errors/graft-error';
import { releaseFolded } from '../model/inference-plan/folded-inference';
import type { Backbone, LayersBackbone } from './backbone';
import { buildHead, type HeadSpec } from './head-spec';
import type { TransferNetworks } from './stem-parts';

export type Pooling = 'avg' | 'max' | 'flatten';

export type AnyLayer = tfl.layers.Layer & { layers?: AnyLayer[] };

/**
 * The graph surgery of transfer learning: the base cut at its feature layer, pooled to vectors (the stem), a new
 * head on those features, and the two joined into one network. Each piece is built on first use.
 */
export class TransferGraph implements TransferNetworks {
  headSpec: HeadSpec | null = null;
  headDropout?: number;
  /** Seeds the head when the constructor got no seed (a seeded fit of a model not built yet). */
  fallbackSeed?: number;
  private cutLayer?: string;
  private pooling?: Pooling;
  private stemNet: tfl.LayersModel | null = null;
  private headNet: tfl.LayersModel | null = null;
  private joined: tfl.LayersModel | null = null;

  constructor(
    readonly backbone: Backbone,
    private readonly seed?: number,
  ) {}

  /** Forgets the stem and the folded inference weights held for it. */
  private dropStem(): void {
    if (this.stemNet) releaseFolded(this.stemNet);
    this.stemNet = null;
  }

  /** Takes features at `layerName` (a new stem on next use). */
  cutAt(layerName: string): void {
    this.cutLayer = layerName;
    this.dropStem();
  }

  poolWith(kind: Pooling): void {
    this.pooling = kind;
    this.dropStem();
  }

  /** The base up to its feature layer, plus pooling: everything before the head (layers bases). */
  stem(): tfl.LayersModel {
    if (this.stemNet) return this.stemNet;
    const b = this.backbone as LayersBackbone;
    const layerName = this.cutLayer ?? b.featureLayer;
    let out = (layerName ? b.model.getLayer(layerName).output : b.model.outputs[0]) as tfl.SymbolicTensor;
    if (out.shape.length === 4) {
      const kind = this.pooling ?? 'avg';
      const layer =
        kind === 'avg'
          ? tfl.layers.globalAveragePooling2d({ name: 'graft_pool' })
          : kind === 'max'
            ? tfl.layers.globalMaxPooling2d({ name: 'graft_pool' })
            : tfl.layers.flatten({ name: 'graft_pool' });
      out = layer.apply(out) as tfl.SymbolicTensor;
    }
    this.stemNet = tfl.model({ inputs: b.model.inputs, outputs: out, name: `${b.name}_features` });
    return this.stemNet;
  }

  head(): tfl.LayersModel {
    this.net();
    return this.headNet as tfl.LayersModel;
  }

  /** Stem and head joined; on an extractor base, the head alone (the base runs outside tfjs-layers). */
  net(): tfl.LayersModel {
    if (this.joined) return this.joined;
    if (!this.headSpec)
      throw new GraftError(
        'NOT_BUILT',
        'the transfer model has no head yet: call addHead(numClasses) or addHead(head)',
      );
    const spec =
      this.headDropout !== undefined && this.headSpec.dropout === undefined
        ? { ...this.headSpec, dropout: this.headDropout }
        : this.headSpec;
    if (this.backbone.kind === 'extractor') {
      const fs = this.backbone.featureShape;
      this.headNet = buildHead(
        spec,
        fs.length > 1 ? [fs.reduce((a, b) => a * b, 1)] : fs,
        this.seed ?? this.fallbackSeed,
      );
      this.joined = this.headNet;
      return this.joined;
    }
    const stem = this.stem();
    this.headNet = buildHead(spec, stem.outputs[0].shape.slice(1) as number[], this.seed ?? this.fallbackSeed);
    const out = this.headNet.apply(stem.outputs[0]) as tfl.SymbolicTensor;
    this.joined = tfl.model({ inputs: stem.inputs, outputs: out, name: `${this.backbone.name}_transfer` });
    return this.joined;
  }

  /** The base's layers up to the cut, in order, without the input layer. */
  baseLayers(): AnyLayer[] {
    const b = this.backbone as LayersBackbone;
    const layers = b.model.layers as AnyLayer[];
    const stop = this.cutLayer ?? b.featureLayer;
    const end = stop ? layers.findIndex((l) => l.name === stop) + 1 : layers.length;
    return layers.slice(0, end).filter((l) => l.getClassName() !== 'InputLayer');
  }

  /**
   * Frees the weights this graph made (the head, pooling) and forgets the built networks. The base is shared, not
   * owned: the caller (or a zoo loader, or another model) that made it frees it, so other models on it keep working.
   */
  disposeOwn(): void {
    const base = new Set<unknown>(this.backbone.kind === 'layers' ? this.backbone.model.layers : []);
    const own = new Set<tfl.LayerVariable>();
    for (const net of [this.joined, this.headNet])
      for (const layer of net?.layers ?? []) if (!base.has(layer)) for (const w of layer.weights) own.add(w);
    for (const w of own) w.dispose();
    if (this.joined) releaseFolded(this.joined);
    this.dropStem();
    this.headNet = null;
    this.joined = null;
  }
}
