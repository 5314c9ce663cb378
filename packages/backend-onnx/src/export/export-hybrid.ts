import { type ExportSource, GraftError } from '@graftjs/core';
import type { OnnxGraphSource } from '../backbone/onnx-graph-source';
import { decodeOnnx } from '../onnx/decode';
import { encodeMetadata, type NodeDef } from '../onnx/encode';
import { allNames, liveNodes } from '../onnx/prune';
import { type GraphEdit, rewriteOnnx } from '../onnx/rewrite';
import { convertGraph, type GraphModelLike } from './convert-graph';
import { GraphBuilder } from './graph-builder';
import { exportMetadata } from './metadata';
import { batchDims, ConvertContext } from './values';

function freeName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 1; taken.has(name); i++) name = `graft_${wanted}${i > 1 ? `_${i}` : ''}`;
  taken.add(name);
  return name;
}

/**
 * An image backbone is fed from a new NHWC input (Transpose first if the backbone is NCHW); a text encoder keeps
 * its own token inputs (input_ids, attention_mask ...), since tokenisation stays outside the file.
 */
function imageFeed(src: OnnxGraphSource, inputShape: number[], inputName: string): GraphEdit {
  if (src.tokens) return {};
  const nchw = src.layout === 'nchw' && inputShape.length === 3;
  const entry: NodeDef = nchw
    ? {
        opType: 'Transpose',
        inputs: [inputName],
        outputs: [src.inputName],
        name: `${inputName}_to_nchw`,
        attrs: { perm: { ints: [0, 3, 1, 2] } },
      }
    : { opType: 'Identity', inputs: [inputName], outputs: [src.inputName], name: `${inputName}_identity` };
  return { prependNodes: [entry], inputs: [{ name: inputName, dims: batchDims([null, ...inputShape]) }] };
}

/**
 * One ONNX file for an ONNX backbone plus a tfjs head: the backbone's graph, kept byte for byte,
 * fed as imageFeed says and joined at its feature output to the converted head, whose names get a
 * "head/" prefix. Preprocessing (or tokenisation) is not included (the file takes what extract()'s
 * graph takes); it is recorded in the metadata. The head is written for the backbone's
 * default-domain opset (at least 11).
 */
export async function exportHybrid(source: ExportSource, net: GraphModelLike): Promise<Uint8Array> {
  const ex = source.extractor as NonNullable<ExportSource['extractor']>;
  const src = ex.source as OnnxGraphSource;
  const model = decodeOnnx(src.bytes, `the ONNX backbone "${ex.name}"`);
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
  if (opset < 11) {
    throw new GraftError(
      'ONNX_UNSUPPORTED_LAYER',
      `cannot join a head to ONNX backbone "${ex.name}": it uses opset ${opset}, joining needs >= 11`,
    );
  }
  if (net.inputs.length !== 1) {
    throw new GraftError('ONNX_INPUT_MISMATCH', `expected a head with one input, got ${net.inputs.length}`);
  }
  const headIn = net.inputs[0].shape.slice(1);
  if (headIn.length !== ex.featureShape.length || headIn.some((d, i) => d !== null && d !== ex.featureShape[i])) {
    throw new GraftError(
      'ONNX_INPUT_MISMATCH',
      `the head takes [${headIn.join(', ')}] but backbone "${ex.name}" gives features [${ex.featureShape.join(', ')}]`,
    );
  }

  const taken = allNames(model);
  const inputName = freeName('input', taken);
  const outputName = freeName('output', taken);
  const b = new GraphBuilder('head/', taken);
  const ctx = new ConvertContext(b, opset);

  const feed = imageFeed(src, ex.inputShape, inputName);
  // Rank-3 features of an NCHW graph are [C, H, W] there but [H, W, C] in featureShape (what extract returns).
  const featureLayout = ex.featureShape.length === 3 ? (src.layout === 'nchw' ? 'nchw' : 'nhwc') : 'plain';
  const feature = ctx.value([null, ...ex.featureShape], src.featureOutput, featureLayout);
  const [out] = convertGraph(net, [feature], ctx);
  b.opTo('Identity', [ctx.get(out, 'nhwc')], outputName);

  const { keep, deadInitializers } = liveNodes(model, [src.featureOutput]);
  return rewriteOnnx(src.bytes, model, {
    ...feed,
    appendNodes: b.nodes,
    initializers: b.initializers,
    outputs: [{ name: outputName, dims: batchDims(out.shape) }],
    keepNodes: keep,
    dropInitializers: deadInitializers,
    metadata: Object.entries(exportMetadata(source)).map(([k, v]) => encodeMetadata(k, v)),
  });
}
