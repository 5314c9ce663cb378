import { ImageIterable } from '../data/images/image-iterable';
import { ImageStream } from '../data/images/image-stream';
import type { Progress } from '../training/progress';
import { FeatureShards } from '../transfer/shards/feature-shards';
import { refuseStream } from '../transfer/stream-features';
import type { FeatureStage } from './feature-stage';
import type { FitCall, ParsedFitCall } from './fit-options';
import type { Scope } from './fit-scope';

/**
 * A fit on a streamed image source becomes a fit on its base features: the stage fills them in one streaming pass
 * (progress reported, `signal` honoured) into a Dataset the fit owns, then everything after (class mapping,
 * validation split, the solver or the loop) runs on features as for an in-memory Dataset. Feature shards become
 * that Dataset directly, once the base is checked. Other calls pass as given.
 */
export async function streamedCall(
  call: ParsedFitCall,
  stage: FeatureStage,
  progress: Progress,
  scope: Scope,
): Promise<FitCall> {
  const { data } = call;
  if (data instanceof FeatureShards) {
    if (!stage.shardDataset) refuseStream('this model has no frozen base that feature shards could come from');
    return { ...call, data: scope.own(await stage.shardDataset(data)) };
  }
  if (!(data instanceof ImageStream || data instanceof ImageIterable)) return { ...call, data };
  const featurePass = (total: number, batches: number) => progress.featurePass(total, batches);
  const request = { cache: call.opts.featureCache, featurePass, signal: call.opts.signal };
  const features =
    data instanceof ImageStream
      ? await stage.streamDataset?.(data, request)
      : await stage.iterableDataset?.(data, request);
  if (!features) refuseStream('this model has no frozen base whose features could be cached');
  return { ...call, data: scope.own(features) };
}
