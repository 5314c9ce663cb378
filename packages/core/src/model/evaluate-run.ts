import type * as tf from '@tensorflow/tfjs-core';
import { backends } from '../backends/registry';
import { mapClasses } from '../data/class-mapping';
import { Dataset } from '../data/dataset';
import { ImageIterable } from '../data/images/image-iterable';
import { ImageStream } from '../data/images/image-stream';
import type { LabelInput } from '../data/labels';
import type { NumericInput } from '../data/tensorize';
import { GraftError } from '../errors/graft-error';
import { evaluateTensors } from '../training/evaluate';
import { refuseStream } from '../transfer/stream-features';
import { type ConfusionMatrix, confusionOf, type LabelledRun } from './confusion-matrix';
import { checkSample } from './feature-stage';
import { own, toDataset } from './fit-data';
import { checkBatchSize } from './fit-options';
import { Scope } from './fit-scope';
import type { ModelHost } from './model-host';
import type { EvaluateOptions, EvaluateResult } from './model-types';
import { resolveObjective } from './objective';
import { evaluateStream, ITERABLE_LABELS, streamLabelSet } from './stream-evaluate';

type EvaluateArgs = [Dataset | ImageStream | NumericInput, LabelInput | EvaluateOptions | undefined, EvaluateOptions];

/** Model.evaluate's body, loaded with the first evaluate: loss and metrics named as in history. */
export function evaluateModel(host: ModelHost, ...[x, y, options]: EvaluateArgs): Promise<EvaluateResult> {
  return labelled(host, 'evaluate', x, y, options, async (run) => {
    const { lossFn, metricNames, metrics } = run.objective;
    const spec = { net: run.net, loss: lossFn, metrics, batchSize: run.batchSize };
    // a stream brings its labels up front and is decoded batch by batch (model/stream-evaluate.ts)
    const values = run.stream
      ? await evaluateStream(run.stream, run.y, (b) => host.stage.inference(b), spec)
      : await evaluateTensors(run.net, lossFn, metrics, run.inputs, run.y, run.batchSize);
    const out: Record<string, number> = { loss: values[0] };
    metricNames.forEach((m, i) => {
      out[m] = values[i + 1];
    });
    return out as EvaluateResult;
  });
}

/** Model.confusionMatrix's body, loaded with its first call. */
export function confusionMatrixOf(host: ModelHost, ...[x, y, options]: EvaluateArgs): Promise<ConfusionMatrix> {
  if (x instanceof ImageStream) refuseStream('confusionMatrix reads a Dataset in memory');
  return labelled(host, 'confusionMatrix', x, y, options, (run) => confusionOf(run, host.classNames));
}

/** The checks and data an evaluation runs on (evaluate, confusionMatrix), freed when `body` ends. */
async function labelled<T>(
  host: ModelHost,
  what: string,
  ...[x, y, options, body]: [...EvaluateArgs, (run: LabelledRun & { stream: ImageStream | null }) => Promise<T>]
): Promise<T> {
  if (x instanceof ImageIterable) refuseStream(ITERABLE_LABELS);
  const stream = x instanceof ImageStream ? x : null;
  const isDataset = x instanceof Dataset || stream !== null;
  const batchSize = (isDataset ? (y as EvaluateOptions | undefined) : options)?.batchSize ?? 32;
  checkBatchSize(batchSize);
  const scope = new Scope();
  const raw = stream
    ? scope.own(streamLabelSet(stream))
    : x instanceof Dataset
      ? x
      : scope.own(toDataset(x as NumericInput, y as LabelInput));
  try {
    await backends.ensure();
    await raw.validate();
    const data = own(scope, raw, await mapClasses(raw, host.classNames, raw.classNames, what));
    const info = await data.labels();
    if (!info) throw new GraftError('INVALID_LABEL', `${what} needs labels`);
    const net = host.net;
    checkSample(host.stage, stream?.sampleShape ?? data.sampleShape, 'x');
    const objective = resolveObjective(host.objective, net, info);
    // a stream's pixels are read by the body, batch by batch; its Dataset holds labels only
    const inputs = stream ? data.x : await host.stage.inference(data.x);
    if (inputs !== data.x) scope.own(inputs);
    const labels = data.y as tf.Tensor;
    return await body({ net, objective, inputs, y: labels, batchSize, classNames: data.classNames, stream });
  } finally {
    scope.dispose();
  }
}
