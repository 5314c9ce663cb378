import { describe, type ExportSource, GraftError } from '@graftjs/core';
import { isOnnxGraphSource } from '../backbone/onnx-graph-source';
import { encodeModel } from '../onnx/encode';
import { IR_VERSION, OPSET_VERSION } from '../onnx/schema';
import { convertGraph, type GraphModelLike } from './convert-graph';
import { exportHybrid } from './export-hybrid';
import { GraphBuilder } from './graph-builder';
import { exportMetadata } from './metadata';
import { batchDims, ConvertContext } from './values';

export function checkNet(source: ExportSource): GraphModelLike {
  const net = source?.net as unknown as GraphModelLike | undefined;
  if (!net || !Array.isArray(net.inputs) || !Array.isArray(net.outputs)) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected ExportSource.net to be a built tfjs LayersModel, got ${describe(net)}`,
    );
  }
  return net;
}

/**
 * Converts a graft model to an ONNX file (IR 7, opset 13). The graph takes and returns graft's
 * layout (NHWC images, preprocessed floats); inside, convolutions run in NCHW.
 */
export async function exportOnnx(source: ExportSource): Promise<Uint8Array> {
  const net = checkNet(source);
  if (source.extractor) {
    if (isOnnxGraphSource(source.extractor.source)) return exportHybrid(source, net);
    throw new GraftError(
      'ONNX_UNSUPPORTED_LAYER',
      `cannot export the frozen base "${source.extractor.name}" to ONNX: it is not an ONNX backbone (only those can be joined with the head)`,
    );
  }
  const b = new GraphBuilder();
  const ctx = new ConvertContext(b, OPSET_VERSION);
  const single = net.inputs.length === 1;
  const inputs = net.inputs.map((t, i) =>
    ctx.value(
      t.shape,
      b.input(single ? 'input' : `input_${i}`, batchDims(t.shape)),
      t.shape.length === 4 ? 'nhwc' : 'plain',
    ),
  );
  const outputs = convertGraph(net, inputs, ctx);
  outputs.forEach((v, i) => {
    const name = b.name(outputs.length === 1 ? 'output' : `output_${i}`);
    b.opTo('Identity', [ctx.get(v, 'nhwc')], name);
    b.outputs.push({ name, dims: batchDims(v.shape) });
  });
  return encodeModel({
    graphName: net.name || 'graft',
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: b.inputs,
    outputs: b.outputs,
    opsets: [{ domain: '', version: OPSET_VERSION }],
    irVersion: IR_VERSION,
    metadata: exportMetadata(source),
  });
}
